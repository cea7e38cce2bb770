// The 智慧校园达标评定 pages: 达标率 by area with the 85 % target as a dashed line, and a school's dimension radar.
(function () {
  "use strict";
  function rates() {
    var tag = document.getElementById("smart-campus-data");
    var box = document.getElementById("smart-campus-chart");
    if (!tag || !box || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    var chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v.toFixed(1) + "%"; } },
      grid: { left: 56, right: 24, top: 36, bottom: 60 },
      xAxis: { type: "category", data: data.areas, axisLabel: { rotate: data.areas.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ name: data.rate_label, type: "bar", data: data.rates,
                 label: { show: true, position: "top", formatter: function (p) { return p.value.toFixed(1) + "%"; } },
                 markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#c0392b" },
                             label: { formatter: data.target_label + " " + data.target + "%" },
                             data: [{ yAxis: data.target }] } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  function radar() {
    var tag = document.getElementById("smart-campus-radar-data");
    var box = document.getElementById("smart-campus-radar");
    if (!tag || !box || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    var chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: {},
      legend: { bottom: 0, data: [data.points_label, data.floor_label] },
      radar: { indicator: data.dimensions, radius: "62%" },
      series: [{ type: "radar", data: [
        { name: data.points_label, value: data.points, areaStyle: { opacity: 0.25 } },
        { name: data.floor_label, value: data.floor, lineStyle: { type: "dashed" } }
      ] }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  function draw() { rates(); radar(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
