import Foundation

/// An SVG bar chart of a run: for each workload, how many times better than Node 20 NodeNet
/// and raw NIO did, on the workload's goal metric, with the goal marked. "Better" is the
/// throughput ratio for rates, and Node's cost divided by ours for CPU and memory, so that
/// every bar reads the same way: longer is better, 1× is Node.
enum Chart {
    static func svg(_ run: BenchRun) -> String {
        let rows = run.workloads.compactMap {
            workload -> (WorkloadResult, ours: Double, raw: Double?, goal: Double)? in
            guard let ours = advantage(workload, .ours) else { return nil }
            return (workload, ours, advantage(workload, .raw), goalAdvantage(workload.goal))
        }
        let labelWidth = 300.0
        let plotWidth = 480.0
        let rowHeight = 34.0
        let top = 70.0
        let scale = max(3, (rows.flatMap { [$0.ours, $0.raw ?? 0, $0.goal] }.max() ?? 1) * 1.1)
        let height = top + rowHeight * Double(rows.count) + 50
        let width = labelWidth + plotWidth + 90
        func x(_ value: Double) -> Double { labelWidth + plotWidth * min(value, scale) / scale }

        var svg = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" "#
                + #"font-family="sans-serif" font-size="12">"#,
            #"<rect width="100%" height="100%" fill="white"/>"#,
            text(10, 20, "NodeNet and raw SwiftNIO against Node 20 (1× = Node; longer is better)", size: 15),
            text(
                10, 38, "rates: ours ÷ Node; CPU per request and memory per connection: Node ÷ ours", size: 11
            ),
            text(10, 54, escape(run.machine.line), size: 11),
        ]
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * Double(index)
            svg.append(text(10, y + 15, escape("\(row.0.name) (\(row.0.goal.metric.rawValue))")))
            svg.append(bar(y: y + 3, from: labelWidth, to: x(row.ours), colour: "#3465a4"))
            svg.append(text(x(row.ours) + 4, y + 12, Report.ratio(row.ours), size: 11))
            if let raw = row.raw {
                svg.append(bar(y: y + 15, from: labelWidth, to: x(raw), colour: "#babdb6"))
                svg.append(text(x(raw) + 4, y + 24, Report.ratio(raw), size: 11))
            }
            svg.append(
                #"<line x1="\#(x(row.goal))" y1="\#(y + 1)" x2="\#(x(row.goal))" y2="\#(y + 29)" "#
                    + #"stroke="rgb(204,0,0)" stroke-width="2" stroke-dasharray="3,2"/>"#)
        }
        let bottom = top + rowHeight * Double(rows.count)
        svg.append(
            #"<line x1="\#(x(1))" y1="\#(top - 4)" x2="\#(x(1))" y2="\#(bottom)" stroke="black" stroke-width="1"/>"#
        )
        svg.append(text(x(1) - 8, bottom + 14, "1×", size: 11))
        let legendY = bottom + 34
        svg.append(bar(y: legendY - 9, from: labelWidth, to: labelWidth + 14, colour: "#3465a4"))
        svg.append(text(labelWidth + 20, legendY, "NodeNet"))
        svg.append(bar(y: legendY - 9, from: labelWidth + 90, to: labelWidth + 104, colour: "#babdb6"))
        svg.append(text(labelWidth + 110, legendY, "raw SwiftNIO"))
        svg.append(
            #"<line x1="\#(labelWidth + 210)" y1="\#(legendY - 10)" x2="\#(labelWidth + 210)" y2="\#(legendY + 2)" "#
                + #"stroke="rgb(204,0,0)" stroke-width="2" stroke-dasharray="3,2"/>"#)
        svg.append(text(labelWidth + 216, legendY, "goal"))
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// How many times better than Node `implementation` did on the goal's metric.
    private static func advantage(_ workload: WorkloadResult, _ implementation: Implementation) -> Double? {
        guard let ratio = workload.ratio(implementation, workload.goal.metric), ratio > 0 else { return nil }
        return workload.goal.metric == .throughput ? ratio : 1 / ratio
    }

    private static func goalAdvantage(_ goal: Workload.Goal) -> Double {
        if let atLeast = goal.atLeast { return atLeast }
        if let atMost = goal.atMost, atMost > 0 { return 1 / atMost }
        return 1
    }

    private static func bar(y: Double, from start: Double, to end: Double, colour: String) -> String {
        #"<rect x="\#(start)" y="\#(y)" width="\#(max(1, end - start))" height="11" fill="\#(colour)"/>"#
    }

    private static func text(_ x: Double, _ y: Double, _ content: String, size: Int = 12) -> String {
        #"<text x="\#(x)" y="\#(y)" font-size="\#(size)">\#(content)</text>"#
    }

    private static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}
