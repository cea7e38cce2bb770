// The 设施与应用 page: the monthly trend of the device online rate and fault rate (ECharts line chart).
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("facilities-trend");
    var source = document.getElementById("facilities-data");
    if (!box || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(box, null, { renderer: "canvas" });
    function pct(v) { return v === null ? null : Math.round(v * 1000) / 10; }
    chart.setOption({
      tooltip: { trigger: "axis", confine: true, valueFormatter: function (v) { return v === null ? "–" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 44, right: 16, top: 32, bottom: 28 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: box.dataset.online, type: "line", data: data.series.device_online_rate.map(pct), connectNulls: false },
        { name: box.dataset.fault, type: "line", data: data.series.device_fault_rate.map(pct), connectNulls: false }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
