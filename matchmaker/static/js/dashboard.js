// The dashboard's charts: hours and activities by month, hours by region. The figures and
// tables are in the page already; the charts only draw the breakdowns of the public API.
(function () {
  "use strict";
  var RED = "#b71c1c", GOLD = "#c98a00";

  function rows(url) {
    return fetch(url, {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {rows: []}; })
      .then(function (body) { return body.rows || []; });
  }

  function draw(element, option) {
    var chart = echarts.init(element, null, {renderer: "svg"});
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-drawn", "true");
  }

  function months(element) {
    Promise.all([rows(element.dataset.hours), rows(element.dataset.activities)])
      .then(function (found) {
        var hours = found[0], activities = found[1];
        draw(element, {
          tooltip: {trigger: "axis"},
          legend: {data: ["志愿服务时长(小时)", "活动场次"]},
          xAxis: {type: "category", data: hours.map(function (r) { return r.label; })},
          yAxis: [{type: "value", name: "小时"}, {type: "value", name: "场次"}],
          series: [
            {name: "志愿服务时长(小时)", type: "bar", color: RED,
             data: hours.map(function (r) { return r.value; })},
            {name: "活动场次", type: "line", yAxisIndex: 1, color: GOLD,
             data: activities.map(function (r) { return r.value; })}
          ]
        });
      });
  }

  function regions(element) {
    rows(element.dataset.hours).then(function (found) {
      draw(element, {
        tooltip: {trigger: "axis"},
        grid: {left: 120},
        xAxis: {type: "value", name: "小时"},
        yAxis: {type: "category", data: found.map(function (r) { return r.label; }).reverse()},
        series: [{type: "bar", color: RED,
                  data: found.map(function (r) { return r.value; }).reverse()}]
      });
    });
  }

  if (typeof echarts === "undefined") { return; }
  var monthly = document.getElementById("chart-months");
  var regional = document.getElementById("chart-regions");
  if (monthly) { months(monthly); }
  if (regional) { regions(regional); }
}());
