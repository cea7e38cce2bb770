// Every ECharts chart of the app gets a toolbox with "save as image" (PNG), titled in the page's language.
// Loaded after echarts.min.js and before the page's own chart script: it wraps echarts.init so each chart,
// whatever script draws it, keeps the toolbox even when its option is replaced (setOption(..., true)).
// The image is named after the chart's data-export-name, else its id; its background is white for print.
(function () {
  "use strict";
  if (!window.echarts || window.echarts.edubrainToolbox) { return; }
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  function toolbox(box) {
    var name = (box && (box.dataset.exportName || box.id)) || "chart";
    return { show: true, right: 8, top: 0, itemSize: 14,
             feature: { saveAsImage: { show: true, type: "png", pixelRatio: 2, backgroundColor: "#fff", name: name,
                                       title: zh ? "保存为图片" : "Save as image" } } };
  }
  var init = window.echarts.init;
  window.echarts.init = function (box) {
    var chart = init.apply(this, arguments);
    var setOption = chart.setOption;
    chart.setOption = function (option, notMerge) {
      var out = setOption.apply(chart, arguments);
      var replaced = notMerge === true || (notMerge && notMerge.notMerge === true);
      if ((replaced || !chart.edubrainToolbox) && option && !option.toolbox) {
        chart.edubrainToolbox = true;
        setOption.call(chart, { toolbox: toolbox(box) });
      }
      return out;
    };
    return chart;
  };
  window.echarts.edubrainToolbox = toolbox;
})();
