"""Progress of a long command on stderr, for a person at a terminal and for a log alike."""


def plain(text):
    """Django's default style for stderr is red: progress is not an error."""
    return text


class ProgressReport:
    """`(done, total)` as a counter: updated in place on a terminal, else a line at every tenth
    of the work, so a log is not flooded."""

    def __init__(self, stream, verb: str):
        self.stream = stream
        self.verb = verb
        self.tty = stream.isatty()
        self.last_percent = None

    def __call__(self, done, total):
        percent = done * 100 // total if total else 100
        line = f"{self.verb} {done}/{total} cases ({percent}%)"
        if self.tty:
            if percent != self.last_percent or done == total:
                self.stream.write("\r" + line, style_func=plain, ending="")
                self.stream.flush()
            if done == total:
                self.stream.write("", style_func=plain)
        elif done == total or done % max(1, total // 10) == 0:
            self.stream.write(line, style_func=plain)
        self.last_percent = percent
