import Foundation
import Testing

@testable import RevisitWeb

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The SVG charts are plain strings inlined in pages, so these check the markup itself: it parses as XML,
/// escapes labels, scales shapes to the data, links where asked, and never prints NaN or infinity.
@Suite struct ChartTests {
    /// One small chart of each kind, built fresh on every call.
    static func sample(_ kind: String) -> String {
        switch kind {
        case "bar":
            return BarChart(title: "日到店", bars: [.init(label: "周一", value: 12), .init(label: "周二", value: 30)]).svg()
        case "stacked":
            return StackedBarChart(
                title: "流失阶段", categories: ["一店", "二店"],
                series: [.init(name: "活跃", values: [5, 7]), .init(name: "流失", values: [3, 1])]
            ).svg()
        case "line":
            return LineChart(
                title: "留存", xLabels: ["M0", "M1", "M2"],
                series: [.init(name: "1月", values: [1, 0.5, 0.4]), .init(name: "2月", values: [1, 0.6, nil])],
                valueFormat: .percent
            ).svg()
        case "pyramid":
            return PyramidChart(
                title: "价值分层", levels: [.init(label: "A", value: 200), .init(label: "D", value: 16000)]
            )
            .svg()
        default:
            return HeatMapChart(
                title: "时段", rowLabels: ["周一", "周二"], columnLabels: ["0时", "1时"], values: [[1, 2], [3, 4]]
            ).svg()
        }
    }

    @Test(arguments: ["bar", "stacked", "line", "pyramid", "heat"])
    func everyChartIsWellFormedXML(kind: String) {
        let svg = Self.sample(kind)
        let markup = Markup(svg)
        #expect(markup.parsed)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(markup.elements.dropFirst().first?.name == "title")
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test(arguments: ["bar", "stacked", "line", "pyramid", "heat"])
    func outputIsDeterministic(kind: String) {
        #expect(Self.sample(kind) == Self.sample(kind))
    }

    @Test func labelsAndTitlesAreEscaped() {
        let svg = BarChart(title: "A<&\">'B", bars: [.init(label: "x<&\">y", value: 3)]).svg()
        let markup = Markup(svg)
        #expect(markup.parsed)
        #expect(svg.contains("A&lt;&amp;&quot;&gt;&#39;B"))
        #expect(markup.elements.first?.attributes["aria-label"] == "A<&\">'B")
        #expect(markup.text.contains("x<&\">y: 3"))
    }

    @Test func barHeightsAreProportionalToValues() {
        let bars = [10.0, 20, 40].enumerated().map { ChartBar(label: "L\($0.offset)", value: $0.element) }
        let heights = Markup(BarChart(title: "t", bars: bars).svg()).numbers("height", ofClass: "bar")
        #expect(heights.count == 3)
        #expect(abs(heights[1] / heights[0] - 2) < 0.01)
        #expect(abs(heights[2] / heights[0] - 4) < 0.01)
    }

    @Test func negativeBarsClampToZero() {
        let svg = BarChart(title: "t", bars: [.init(label: "a", value: -5), .init(label: "b", value: 5)]).svg()
        #expect(Markup(svg).numbers("height", ofClass: "bar").first == 0)
    }

    @Test func barsLinkOnlyWhenGivenAnHref() {
        let linked = BarChart(title: "t", bars: [.init(label: "a", value: 1, href: "/customers?stage=a&b=1")]).svg()
        #expect(linked.contains("<a href=\"/customers?stage=a&amp;b=1\">"))
        #expect(
            Markup(linked).elements.contains { $0.name == "a" && $0.attributes["href"] == "/customers?stage=a&b=1" })
        let plain = BarChart(title: "t", bars: [.init(label: "a", value: 1)]).svg()
        #expect(!plain.contains("<a "))
        let pyramid = PyramidChart(
            title: "t", levels: [.init(label: "A", value: 1, href: "/a"), .init(label: "B", value: 2)])
        #expect(pyramid.svg().components(separatedBy: "<a href=").count == 2)
    }

    @Test func emptyAndAllZeroInputsSayNothingToShow() {
        let outputs = [
            BarChart(title: "t", bars: [], emptyText: "暂无数据").svg(),
            BarChart(title: "t", bars: [.init(label: "a", value: 0)], emptyText: "暂无数据").svg(),
            StackedBarChart(title: "t", categories: ["a"], series: [], emptyText: "暂无数据").svg(),
            StackedBarChart(
                title: "t", categories: ["a"], series: [.init(name: "s", values: [0])], percent: true,
                emptyText: "暂无数据"
            ).svg(),
            LineChart(
                title: "t", xLabels: ["a", "b"], series: [.init(name: "s", values: [nil, 0])], emptyText: "暂无数据"
            )
            .svg(),
            LineChart(title: "t", xLabels: [], series: [], emptyText: "暂无数据").svg(),
            PyramidChart(title: "t", levels: [.init(label: "A", value: 0)], emptyText: "暂无数据").svg(),
            HeatMapChart(title: "t", rowLabels: ["r"], columnLabels: ["c"], values: [[0]], emptyText: "暂无数据").svg(),
            HeatMapChart(title: "t", rowLabels: [], columnLabels: [], values: [], emptyText: "暂无数据").svg(),
        ]
        for svg in outputs {
            let markup = Markup(svg)
            #expect(markup.parsed)
            #expect(markup.text.contains("暂无数据"))
            #expect(!svg.contains("nan") && !svg.contains("inf"))
        }
    }

    @Test func oddNumbersNeverReachTheMarkup() {
        let svg = BarChart(
            title: "t",
            bars: [.init(label: "a", value: .nan), .init(label: "b", value: .infinity), .init(label: "c", value: 2)]
        ).svg()
        #expect(Markup(svg).parsed)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func valuesAreFormatted() {
        #expect(ChartValueFormat.integer.format(12345) == "12,345")
        #expect(ChartValueFormat.integer.format(-1_234_567) == "-1,234,567")
        #expect(ChartValueFormat.percent.format(0.123) == "12.3%")
        #expect(ChartValueFormat.percent.tick(0.2) == "20%")
        #expect(ChartValueFormat.money.format(1234) == "¥1,234")
        #expect(ChartValueFormat.decimal(2).format(1234.5) == "1,234.50")
        #expect(ChartValueFormat.integer.format(.nan) == "—")
        let svg = BarChart(title: "t", bars: [.init(label: "a", value: 0.25)], valueFormat: .percent).svg()
        #expect(Markup(svg).text.contains("a: 25.0%"))
        #expect(Markup(svg).text.contains("20%"))
    }

    @Test func percentStacksFillTheWholeBar() {
        let chart = StackedBarChart(
            title: "t", categories: ["a", "b"],
            series: [
                .init(name: "x", values: [1, 30]), .init(name: "y", values: [2, 7]), .init(name: "z", values: [7, 1]),
            ],
            percent: true)
        let markup = Markup(chart.svg())
        let heights = markup.numbers("height", ofClass: "seg")
        let gridTop = markup.elements.filter { $0.name == "line" }.compactMap {
            $0.attributes["y1"].flatMap(Double.init)
        }
        #expect(heights.count == 6)
        let full = (gridTop.max() ?? 0) - (gridTop.min() ?? 0)
        #expect(abs(heights[0] + heights[1] + heights[2] - full) < 0.01)
        #expect(abs(heights[3] + heights[4] + heights[5] - full) < 0.01)
    }

    @Test func linesBreakAtMissingValues() {
        let chart = LineChart(
            title: "t", xLabels: ["1", "2", "3", "4", "5"], series: [.init(name: "s", values: [1, 2, nil, 3, 4])])
        let markup = Markup(chart.svg())
        #expect(markup.elements.filter { $0.name == "polyline" }.count == 2)
        #expect(markup.elements.filter { $0.name == "circle" }.count == 4)
    }

    @Test func heatMapHasACellPerRowAndColumn() {
        let values = (0..<7).map { row in (0..<24).map { Double(row * 24 + $0) } }
        let chart = HeatMapChart(
            title: "t", rowLabels: (1...7).map { "周\($0)" }, columnLabels: (0..<24).map { "\($0)时" }, values: values)
        let markup = Markup(chart.svg())
        #expect(markup.parsed)
        #expect(markup.numbers("width", ofClass: "cell").count == 7 * 24)
        #expect(markup.text.contains("周2 3时: 27"))
    }
}

/// The parsed elements and text of one SVG string.
private final class Markup: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private(set) var text = ""
    private(set) var parsed = false

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        parsed = parser.parse()
    }

    /// An attribute of every element with `class` = `kind`, as numbers.
    func numbers(_ attribute: String, ofClass kind: String) -> [Double] {
        elements.filter { $0.attributes["class"] == kind }.compactMap { $0.attributes[attribute].flatMap(Double.init) }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }
}
