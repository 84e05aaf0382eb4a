// Printing the summary unfolds what is folded away on screen (the PDF is always unfolded), and
// folds it back afterwards.
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.fold:not([open])")) {
    details.dataset.printOpened = "true";
    details.open = true;
  }
});
window.addEventListener("afterprint", () => {
  for (const details of document.querySelectorAll("details[data-print-opened]")) {
    delete details.dataset.printOpened;
    details.open = false;
  }
});
