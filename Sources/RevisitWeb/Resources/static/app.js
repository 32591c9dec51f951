// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The store switcher submits as soon as a store is chosen; its button stays for no-JS use.
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    const select = form.querySelector("select");
    const button = form.querySelector("button");
    if (button) button.hidden = true;
    if (select) select.addEventListener("change", () => form.submit());
  }
  // Destructive forms ask first.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
