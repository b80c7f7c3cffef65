/* Tawasul's small behaviours, wired by data attributes (no inline scripts).
   - [data-chart="ID"]: a <canvas> drawn with Chart.js from the JSON in <script id="ID" type="application/json">.
   - [data-shortcut="k"]: Alt+K (Alt+Shift+K too) focuses the element if it is a field, else clicks it.
   - [data-timer-since="ISO time"]: shows the time elapsed since then as m:ss, every second. */
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

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || !event.code || event.code.indexOf("Key") !== 0) return;
    var key = event.code.slice(3).toLowerCase();  // the key's place, whatever the keyboard layout (Arabic too)
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    if (!target) return;
    event.preventDefault();
    var details = target.closest("details");
    if (details) details.open = true;
    if (target.matches("input, textarea, select")) target.focus(); else target.click();
  });

  function tick() {
    document.querySelectorAll("[data-timer-since]").forEach(function (clock) {
      var since = Date.parse(clock.dataset.timerSince);
      if (isNaN(since)) return;
      var seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
      var rest = seconds % 60;
      clock.textContent = Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
    });
  }
  setInterval(tick, 1000);

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); tick(); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
