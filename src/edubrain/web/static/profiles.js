// The student profile page (学生画像): the radar of the five domains of 综合素质评价 (思想品德, 学业水平,
// 身心健康, 艺术素养, 社会实践), the chosen school year over the previous one. The data comes from the page's
// <script type="application/json" id="profile-radar-data"> block (the Content-Security-Policy runs no inline
// script); the numbers are also in the page's domain table, each linked to its evidence.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("profile-radar");
    var tag = document.getElementById("profile-radar-data");
    if (!box || !tag || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    var chart = echarts.init(box, null, { renderer: "canvas" });
    window.edubrainProfileRadar = chart;
    var colours = ["#1f4e8c", "#b9770e"];
    var series = data.series.map(function (s, i) {
      return {
        name: s.name,
        value: s.values.map(function (v) { return v === null ? "-" : v; }),  // "-": no value, not zero
        symbolSize: 5,
        lineStyle: { width: i === 0 ? 2 : 1.5, type: i === 0 ? "solid" : "dashed", color: colours[i] },
        itemStyle: { color: colours[i] },
        areaStyle: i === 0 ? { opacity: 0.18, color: colours[0] } : undefined
      };
    });
    chart.setOption({
      color: colours,
      tooltip: { trigger: "item", confine: true },
      legend: { bottom: 0, data: data.series.map(function (s) { return s.name; }) },
      radar: {
        radius: "62%",
        center: ["50%", "48%"],
        indicator: data.domains.map(function (d) { return { name: d, max: 100, min: 0 }; }),
        axisName: { color: "#1c2733", fontSize: 12 },
        splitArea: { areaStyle: { color: ["#fff", "#f3f5f8"] } }
      },
      series: [{ type: "radar", name: data.title, data: series }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
