// The 培训覆盖监测 page: per organisation, the principals' yearly target met, their three-year coverage and the
// teachers' yearly target met (%), as horizontal bars with the plan's 100 % as a dashed target line.
(function () {
  "use strict";
  function pct(v) { return (v === null || v === undefined || isNaN(v)) ? "–" : v.toFixed(1) + "%"; }
  function draw() {
    var tag = document.getElementById("training-data");
    var box = document.getElementById("training-chart");
    if (!tag || !box || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    box.style.height = Math.max(260, 60 + data.names.length * (14 * data.series.length + 12)) + "px";
    var chart = echarts.init(box, null, { renderer: "canvas" });
    window.edubrainTrainingChart = chart;
    var series = data.series.map(function (one, i) {
      var s = { name: one.name, type: "bar", data: one.data, barMaxWidth: 14 };
      if (i === 0) {
        s.markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#c0392b" },
                       label: { formatter: data.target_label, position: "insideEndTop", color: "#c0392b" },
                       data: [{ xAxis: data.target }] };
      }
      return s;
    });
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: pct },
      legend: { top: 0, left: 0, right: 40, type: "scroll" },
      grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.names, inverse: true,
               axisLabel: { width: 120, overflow: "truncate" } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
