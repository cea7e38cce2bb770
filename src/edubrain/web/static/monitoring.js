// The indicator page of 信息化监测: the organisation's value each school year, with the target as a dashed line.
(function () {
  "use strict";
  function fmt(data, v) {
    if (v === null || v === undefined || isNaN(v)) { return "–"; }
    return data.percent ? v.toFixed(1) + "%" : v.toFixed(2) + " " + data.unit;
  }
  function draw() {
    var tag = document.getElementById("monitoring-data");
    var box = document.getElementById("monitoring-trend");
    if (!tag || !box || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    var chart = echarts.init(box, null, { renderer: "canvas" });
    window.edubrainMonitoringTrend = chart;
    var values = data.values.filter(function (v) { return v !== null; });
    if (data.target !== null) { values.push(data.target); }
    var top = values.length ? Math.max.apply(null, values) : 1;
    var series = { name: data.indicator, type: "line", symbolSize: 8, data: data.values, connectNulls: false,
                   label: { show: true, formatter: function (p) { return fmt(data, p.value); } } };
    if (data.target !== null) {
      series.markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#c0392b" },
                          label: { formatter: data.target_label + " " + fmt(data, data.target), position: "insideStartTop" },
                          data: [{ name: data.target_label, yAxis: data.target }] };
    }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(data, v); } },
      grid: { left: 56, right: 24, top: 36, bottom: 30 },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", min: 0, max: data.percent ? 100 : Math.ceil(top * 1.15),
               axisLabel: { formatter: data.percent ? "{value}%" : "{value}" } },
      series: [series]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
