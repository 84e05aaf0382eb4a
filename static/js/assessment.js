// Enhancements only: every page works without JavaScript.

// Show the VEGF unit, sample and upper limit once a value is typed. A detail that holds a
// value or an error stays visible, so nothing entered is ever hidden.
document.addEventListener("DOMContentLoaded", () => {
  const value = document.getElementById("id_vegf_value");
  if (!value) {
    return;
  }
  const details = ["vegf_unit", "vegf_sample", "vegf_lab_uln"]
    .map((name) => document.getElementById(`div_id_${name}`))
    .filter(Boolean);
  const hasContent = (detail) =>
    detail.querySelector(".is-invalid") ||
    [...detail.querySelectorAll("input")].some(
      (input) => (input.type === "radio" ? input.checked && input.value !== "unknown" : input.value),
    );
  const update = () => {
    const noValue = value.value.trim() === "";
    for (const detail of details) {
      detail.hidden = noValue && !hasContent(detail);
    }
  };
  value.addEventListener("input", update);
  update();
});
