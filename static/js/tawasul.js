/* Tawasul's small behaviours, wired by data attributes (no inline scripts).
   - [data-chart="ID"]: a <canvas> drawn with Chart.js from the JSON in <script id="ID" type="application/json">. */
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof window.Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var config = JSON.parse(source.textContent);
      config.options = config.options || {};
      config.options.maintainAspectRatio = false;
      config.options.locale = document.documentElement.lang;
      if (document.documentElement.dir === "rtl") {
        config.options.plugins = config.options.plugins || {};
        config.options.plugins.legend = Object.assign({ rtl: true }, config.options.plugins.legend);
        config.options.plugins.tooltip = Object.assign({ rtl: true }, config.options.plugins.tooltip);
      }
      new window.Chart(canvas, config);
      canvas.dataset.drawn = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
