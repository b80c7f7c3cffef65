/* The survey page's importance points: a running total of the [data-points] inputs of each
   [data-points-group="100"], shown in its [data-points-total], marked when it is not the target.
   The server checks the sum all the same; this only helps the member get there. */
(function () {
  "use strict";

  function update(group) {
    var total = 0;
    group.querySelectorAll("[data-points]").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) total += value;
    });
    var target = parseInt(group.dataset.pointsGroup, 10);
    var output = group.querySelector("[data-points-total]");
    if (!output) return;
    output.textContent = String(total);
    output.dataset.total = String(total);
    output.classList.toggle("text-success", total === target);
    output.classList.toggle("text-danger", total !== target);
  }

  document.querySelectorAll("[data-points-group]").forEach(function (group) {
    group.addEventListener("input", function () { update(group); });
    update(group);
  });
})();
