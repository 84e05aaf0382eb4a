// The live verdict beside a step's form: as answers change, the step's current inputs are
// evaluated over the saved findings (nothing is saved) and the panel shows the results.
// An enhancement only: without script the panel shows the verdict at the last save.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-live-url]");
  const panel = document.getElementById("live-verdict");
  if (!form || !panel) {
    return;
  }
  const field = (name) => panel.querySelector(`[data-live="${name}"]`);
  const problems = field("problems");
  let timer = null;
  let inFlight = null;
  let asked = 0;

  const show = (answer) => {
    problems.replaceChildren(
      ...answer.problems.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }),
    );
    problems.hidden = answer.problems.length === 0;
    panel.classList.toggle("live-refused", answer.problems.length > 0);
    if (answer.primary) {
      field("primary").textContent = answer.primary.label;
      field("primary").dataset.result = answer.primary.result;
      for (const set of answer.sets) {
        const cell = panel.querySelector(`[data-live-set="${set.key}"]`);
        if (cell) {
          cell.textContent = set.label;
          cell.dataset.result = set.result;
        }
      }
      field("missing").textContent = answer.missing;
    }
    panel.dataset.state = "current";
  };

  const ask = async () => {
    const mine = ++asked;
    inFlight?.abort();
    inFlight = new AbortController();
    panel.dataset.state = "updating";
    try {
      const response = await fetch(form.dataset.liveUrl, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: inFlight.signal,
      });
      if (!response.ok) {
        throw new Error(`status ${response.status}`);
      }
      const answer = await response.json();
      if (mine === asked) {
        show(answer);
      }
    } catch (error) {
      if (error.name !== "AbortError" && mine === asked) {
        panel.dataset.state = "unavailable";
      }
    }
  };

  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 60);
  };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
});
