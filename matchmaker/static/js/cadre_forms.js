/* Cadre pages: ask before an action that cannot be undone, and show the need form's fields
   for the chosen kind only. Without JavaScript every field shows and actions go straight. */
(function () {
  "use strict";

  function askBeforeSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }

  function fits(element, kind) {
    var kinds = element.getAttribute("data-kinds");
    return !kind || !kinds || kinds.split(" ").indexOf(kind) !== -1;
  }

  function showFieldsOf(kindSelect) {
    var form = kindSelect.form;
    var kind = kindSelect.value;
    form.querySelectorAll("[data-kinds]").forEach(function (element) {
      var shown = fits(element, kind);
      element.style.display = shown ? "" : "none";  /* .field sets display: not [hidden] */
      /* a hidden field is not sent either */
      element.querySelectorAll("input, select, textarea, option").forEach(function (control) {
        control.disabled = !shown;
      });
    });
    var category = form.querySelector("select[name=category]");
    if (category && category.selectedOptions.length && category.selectedOptions[0].disabled) {
      var first = category.querySelector("option:not([disabled])");
      if (first) { category.value = first.value; }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-confirm]").forEach(askBeforeSubmit);
    document.querySelectorAll("select[data-shows-kind]").forEach(function (select) {
      select.addEventListener("change", function () { showFieldsOf(select); });
      showFieldsOf(select);
    });
  });
}());
