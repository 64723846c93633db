// A search box over a long list of checkboxes (a village's ~400 households): typing hides
// the rows that do not match; ticked rows stay visible so the choice is never hidden.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-filters]").forEach(function (box) {
    var list = document.getElementById(box.dataset.filters);
    if (!list) return;
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase();
      list.querySelectorAll("label").forEach(function (row) {
        var ticked = row.querySelector("input").checked;
        row.hidden = words !== "" && !ticked && row.textContent.toLowerCase().indexOf(words) < 0;
      });
    });
  });
});
