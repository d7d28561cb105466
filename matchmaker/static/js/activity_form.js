// The activity form: the total hours of the volunteers ticked, shown before the form is sent
// (the server shows the same total with the 核对合计 button when scripts are off); hours typed
// for a volunteer tick that volunteer; a claim ticked brings its village into the place field.
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) { return; }
  var same = form.querySelector("#same_hours");
  var place = form.querySelector("#village_code");

  function hoursOf(row) {
    var own = row.querySelector("input[type=number]").value.trim();
    var value = parseFloat(own !== "" ? own : same.value);
    return isFinite(value) && value > 0 ? value : 0;
  }

  function refresh() {
    var count = 0, total = 0;
    form.querySelectorAll("tr[data-volunteer]").forEach(function (row) {
      if (row.querySelector("input[type=checkbox]").checked) {
        count += 1;
        total += hoursOf(row);
      }
    });
    form.querySelector("#hours-total [data-count]").textContent = String(count);
    form.querySelector("#hours-total [data-hours]").textContent =
      String(Math.round(total * 100) / 100);
  }

  form.addEventListener("input", function (event) {
    var row = event.target.closest("tr[data-volunteer]");
    if (row && event.target.type === "number" && event.target.value.trim() !== "") {
      row.querySelector("input[type=checkbox]").checked = true;
    }
    refresh();
  });
  form.addEventListener("change", function (event) {
    var village = event.target.getAttribute("data-village");
    if (village && event.target.checked && place) { place.value = village; }
    refresh();
  });
  refresh();
}());
