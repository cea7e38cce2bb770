// The 体质健康 page: Beijing's 16 districts coloured by a fitness measure (same GeoJSON as the cockpit),
// and the trend of the chosen organisation over the school years. A click on a district drills down.
(function () {
  "use strict";
  var RATES = { excellent_good_rate: 1, pass_rate: 1, overweight_rate: 1, obesity_rate: 1 };
  function fmt(measure, v) {
    if (v === null || v === undefined || isNaN(v)) { return "–"; }
    return RATES[measure] ? (v * 100).toFixed(1) + "%" : v.toFixed(1);
  }
  function drawMap(data) {
    var box = document.getElementById("fitness-map");
    if (!box) { return; }
    fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("beijing", geo);
      var chart = echarts.init(box, null, { renderer: "canvas" });
      window.edubrainFitnessMap = chart;
      function option(measure) {
        var rows = (data.map[measure] || []).filter(function (r) { return r.value !== null; });
        var values = rows.map(function (r) { return r.value; });
        var lo = values.length ? Math.min.apply(null, values) : 0, hi = values.length ? Math.max.apply(null, values) : 1;
        if (hi - lo < 1e-9) { lo = lo - 0.01; hi = hi + 0.01; }
        var good = measure === "overweight_rate" || measure === "obesity_rate"
          ? ["#fff5eb", "#fdbe85", "#fd8d3c", "#d94701", "#8c2d04"]
          : ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
        return {
          tooltip: { trigger: "item", confine: true, formatter: function (p) { return p.name + "<br>" + data.labels[measure] + ": " + fmt(measure, p.value); } },
          visualMap: { min: lo, max: hi, orient: "horizontal", left: "center", bottom: 6, itemWidth: 12, itemHeight: 140, calculable: true, text: [data.labels[measure], ""],
                       formatter: function (v) { return fmt(measure, v); }, inRange: { color: good } },
          series: [{ id: "districts", name: data.labels[measure], type: "map", map: "beijing", roam: false,
                     top: 8, left: 8, right: 8, bottom: 56,  // the legend lies below the map, over no district
                     label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } }, data: rows }]
        };
      }
      chart.setOption(option(data.measure));
      chart.on("click", function (p) {
        if (p.data && p.data.code) { window.location.href = "/fitness?org=" + p.data.code + "&year=" + box.dataset.year; }
      });
      var select = document.getElementById("fitness-measure");
      if (select) { select.addEventListener("change", function () { chart.setOption(option(select.value), true); }); }
      window.addEventListener("resize", function () { chart.resize(); });
      box.dataset.ready = "1";
    });
  }
  function drawTrend(data) {
    var box = document.getElementById("fitness-trend");
    if (!box) { return; }
    var chart = echarts.init(box, null, { renderer: "canvas" });
    window.edubrainFitnessTrend = chart;
    var rates = ["excellent_good_rate", "pass_rate", "overweight_rate", "obesity_rate"];
    var series = rates.map(function (m) {
      return { name: data.labels[m], type: "line", smooth: false, symbolSize: 7, yAxisIndex: 0,
               data: data.trend.series[m].map(function (v) { return v === null ? null : +(v * 100).toFixed(2); }) };
    });
    series.push({ name: data.labels.mean_total, type: "line", yAxisIndex: 1, lineStyle: { type: "dashed" },
                  data: data.trend.series.mean_total });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.trend.years.map(String) },
      yAxis: [{ type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
              { type: "value", min: 0, max: 120, splitLine: { show: false } }],
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  function draw() {
    var tag = document.getElementById("fitness-data");
    if (!tag || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    drawTrend(data);
    drawMap(data);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
