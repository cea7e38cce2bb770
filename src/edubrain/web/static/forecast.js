// The 学位预测 page: the place gap per district on Beijing's map (red shortage, blue surplus; a click opens
// the district's fan chart), and the fan chart: observed pupils, the forecast and its 80% and 95% bands.
(function () {
  "use strict";
  function drawMap(data) {
    var box = document.getElementById("gap-map");
    if (!box) { return; }
    fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("beijing", geo);
      var chart = echarts.init(box, null, { renderer: "canvas" });
      window.edubrainGapMap = chart;
      var rows = data.map;
      var edge = rows.reduce(function (m, r) { return Math.max(m, Math.abs(r.value)); }, 1);
      chart.setOption({
        tooltip: { trigger: "item", confine: true, formatter: function (p) {
          if (!p.data) { return p.name; }
          return p.name + "<br>" + data.labels.place_gap + ": " + Math.round(p.data.value).toLocaleString() +
            "<br>" + data.labels.demand + ": " + Math.round(p.data.demand).toLocaleString() +
            "<br>" + data.labels.planned_places + ": " + p.data.planned_places.toLocaleString() +
            "<br>" + data.labels.gap_probability + ": " + Math.round(p.data.gap_probability * 100) + "%";
        } },
        visualMap: { min: -edge, max: edge, orient: "horizontal", left: "center", bottom: 6, itemWidth: 12, itemHeight: 140, calculable: true, text: [data.labels.place_gap, ""],
                     inRange: { color: ["#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b"] } },
        series: [{ id: "districts", name: data.labels.place_gap, type: "map", map: "beijing", roam: false,
                   top: 8, left: 8, right: 8, bottom: 56,  // the legend lies below the map, over no district
                   label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } }, data: rows }]
      });
      chart.on("click", function (p) {
        if (p.data && p.data.code) {
          var q = data.link;
          window.location.href = "/forecast?district=" + p.data.code + "&stage=" + q.stage + "&year=" + q.year +
            "&scenario=" + encodeURIComponent(q.scenario);
        }
      });
      window.addEventListener("resize", function () { chart.resize(); });
      box.dataset.ready = "1";
    });
  }
  function drawFan(data) {
    var box = document.getElementById("fan-chart");
    if (!box) { return; }
    var fan = data.fan, L = data.labels;
    var years = fan.history.school_year.concat(fan.school_year.filter(function (y) { return fan.history.school_year.indexOf(y) < 0; }));
    years.sort(function (a, b) { return a - b; });
    function on(xs, ys) {
      return years.map(function (y) { var i = xs.indexOf(y); return i < 0 ? null : ys[i]; });
    }
    function diff(a, b) { return a.map(function (v, i) { return v === null ? null : b[i] - v; }); }
    var low95 = on(fan.school_year, fan.lower_95), low80 = on(fan.school_year, fan.lower_80);
    var band = { type: "line", symbol: "none", lineStyle: { opacity: 0 } };
    function merge(a, b) { var o = {}; [a, b].forEach(function (x) { Object.keys(x).forEach(function (k) { o[k] = x[k]; }); }); return o; }
    var series = [
      merge(band, { id: "low95", name: "low95", stack: "b95", data: low95, areaStyle: { opacity: 0 }, tooltip: { show: false } }),
      merge(band, { id: "band95", name: L.interval_95, stack: "b95", data: diff(low95, on(fan.school_year, fan.upper_95)),
                    areaStyle: { color: "#c6dbef", opacity: 0.8 }, itemStyle: { color: "#c6dbef" } }),
      merge(band, { id: "low80", name: "low80", stack: "b80", data: low80, areaStyle: { opacity: 0 }, tooltip: { show: false } }),
      merge(band, { id: "band80", name: L.interval_80, stack: "b80", data: diff(low80, on(fan.school_year, fan.upper_80)),
                    areaStyle: { color: "#6baed6", opacity: 0.8 }, itemStyle: { color: "#6baed6" } }),
      { id: "history", name: L.history_line, type: "line", data: on(fan.history.school_year, fan.history.students),
        lineStyle: { color: "#1c2733", width: 2 }, itemStyle: { color: "#1c2733" } },
      { id: "forecast", name: L.demand, type: "line", data: on(fan.school_year, fan.demand),
        lineStyle: { color: "#08519c", width: 2, type: "dashed" }, itemStyle: { color: "#08519c" } }
    ];
    if (fan.planned_places !== null) {
      series.push({ id: "planned", name: L.planned_places, type: "line", symbol: "none",
                    data: years.map(function () { return fan.planned_places; }), lineStyle: { color: "#c0392b", type: "dotted" }, itemStyle: { color: "#c0392b" } });
    }
    var chart = echarts.init(box, null, { renderer: "canvas" });
    window.edubrainFanChart = chart;
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "–" : Math.round(v).toLocaleString(); } },
      legend: { top: 0, data: [L.history_line, L.demand, L.interval_80, L.interval_95, L.planned_places] },
      grid: { left: 70, right: 30, top: 40, bottom: 30 },
      xAxis: { type: "category", boundaryGap: false, data: years.map(String) },
      yAxis: { type: "value", scale: true },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  function draw() {
    var tag = document.getElementById("forecast-data");
    if (!tag || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    drawFan(data);
    drawMap(data);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
