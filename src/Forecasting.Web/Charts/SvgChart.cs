using System.Globalization;
using System.Net;
using System.Text;

namespace Forecasting.Web.Charts;

/// <summary>A point on the horizontal axis; Tick says whether it gets a label (e.g. the first month of a financial year).</summary>
public sealed record Category(string Label, bool Tick = true);

/// <summary>A line; null values leave a gap. Dashed lines are projections.</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double?> Values, string Colour, bool Dashed = false, double Width = 2.5);

/// <summary>A shaded range between two lines (for example P10 to P90, or an 80% interval).</summary>
public sealed record Band(string Name, IReadOnlyList<double?> Lower, IReadOnlyList<double?> Upper, string Colour, double Opacity);

/// <summary>Points drawn as diamonds on their own year (strategy targets).</summary>
public sealed record Markers(string Name, IReadOnlyList<double?> Values, string Colour);

/// <summary>
/// A chart drawn on the server as inline SVG, so it shows without JavaScript and prints as it looks: a plain title,
/// the council and data date under it, labelled axes and a legend. Bands are drawn first, widest first, so narrower
/// ones stay visible on top.
/// </summary>
public sealed class SvgChart
{
    public required string Title { get; init; }
    /// <summary>The council and the data date (and anything else the reader needs to place the chart).</summary>
    public required string Subtitle { get; init; }
    public required IReadOnlyList<Category> Categories { get; init; }
    public string YLabel { get; init; } = "";
    public IReadOnlyList<LineSeries> Lines { get; init; } = [];
    public IReadOnlyList<Band> Bands { get; init; } = [];
    public IReadOnlyList<Markers> Points { get; init; } = [];
    public int Width { get; init; } = 760;
    public int Height { get; init; } = 380;

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>
    /// Counts (people, units, admissions): the vertical axis steps by whole numbers, so a small count reads "0, 1, 2"
    /// and never "0, 0, 1, 2, 2" (halves rounded for display).
    /// </summary>
    public bool Counts { get; init; }

    private const double Left = 64, Right = 20, Bottom = 46;
    private const double TitleSize = 17, SubtitleSize = 12.5, LegendSize = 12;

    // Average advance of Liberation Sans (Arial metrics) as a share of the font size, a little generous so a line
    // never runs past the edge: bold about 0.58, regular about 0.52.
    private const double BoldAdvance = 0.6, RegularAdvance = 0.53;

    /// <summary>The title broken into lines that fit the chart's width (SVG text does not wrap by itself).</summary>
    public IReadOnlyList<string> TitleLines() => WrapText(Title, (Width - Left - Right) / (TitleSize * BoldAdvance));

    public IReadOnlyList<string> SubtitleLines() => WrapText(Subtitle, (Width - Left - Right) / (SubtitleSize * RegularAdvance));

    /// <summary>The values labelled on the vertical axis, from the lowest to the highest.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var (min, max, step) = Axis();
        var ticks = new List<double>();
        for (var i = 0; min + i * step <= max + step / 2; i++) ticks.Add(Math.Round(min + i * step, 10));
        return ticks;
    }

    /// <summary>A tick as text: whole numbers with separators, or as many decimals as the step needs.</summary>
    public string TickLabel(double value)
    {
        var step = Axis().Step;
        var decimals = step >= 1 ? 0 : Math.Min(6, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        // 2.5 and 0.25 need one more decimal than their magnitude.
        while (decimals < 6 && Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-9) decimals++;
        return value.ToString("N" + decimals, Ci);
    }

    /// <summary>Total height: the plot's own height plus the lines a long title, subtitle or legend needs.</summary>
    public double RenderedHeight => Height + ExtraTop + Legend().Extra;

    private double ExtraTop => (TitleLines().Count - 1) * TitleSize * 1.2 + (SubtitleLines().Count - 1) * SubtitleSize * 1.25;

    private (double Min, double Max, double Step) Axis()
    {
        var values = Lines.SelectMany(l => l.Values).Concat(Bands.SelectMany(b => b.Lower.Concat(b.Upper))).Concat(Points.SelectMany(p => p.Values))
            .Where(v => v is not null && double.IsFinite(v.Value)).Select(v => v!.Value).ToList();
        return Scale(values.Count == 0 ? 0 : Math.Min(0, values.Min()), values.Count == 0 ? 1 : values.Max(), Counts);
    }

    /// <summary>The legend's entries placed in rows under the axis title, and how much taller than two rows it is.</summary>
    private (List<(string Name, double X, int Row)> Items, double Extra) Legend()
    {
        var items = new List<(string, double, int)>();
        var x = Left;
        var row = 0;
        foreach (var name in Bands.Select(b => b.Name).Concat(Lines.Select(l => l.Name)).Concat(Points.Select(p => p.Name)))
        {
            var width = 30 + name.Length * LegendSize * RegularAdvance;
            if (x > Left && x + width - 4 > Width - Right)
            {
                x = Left;
                row++;
            }
            items.Add((name, x, row));
            x += width;
        }
        return (items, Math.Max(0, row - 1) * 19.0);
    }

    private static List<string> WrapText(string text, double maxChars)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
            {
                lines.Add(line);
                line = word;
            }
            else line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line);
        return lines;
    }

    public string Render(string id)
    {
        const double left = Left, right = Right, legendHeight = 46, bottom = Bottom;
        var titleLines = TitleLines();
        var subtitleLines = SubtitleLines();
        var top = 62 + ExtraTop;
        var (legendItems, legendExtra) = Legend();
        var height = RenderedHeight;
        var plotW = Width - left - right;
        var plotH = Height - 62 - bottom - legendHeight;
        var (min, max, step) = Axis();
        // Each category sits in the middle of its own slot, so the first and last labels stay inside the chart.
        var slots = Math.Max(1, Categories.Count);
        double X(int i) => left + plotW * (i + 0.5) / slots;
        double Y(double v) => top + plotH * (1 - (v - min) / (max - min));

        var svg = new StringBuilder();
        svg.Append(Ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {height:0.#}\" font-family=\"Liberation Sans, Arial, Helvetica, sans-serif\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">");
        svg.Append(Ci, $"<title id=\"{id}-title\">{E(Title)}</title><desc id=\"{id}-desc\">{E(Subtitle)}</desc>");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        svg.Append(Ci, $"<text x=\"{left}\" y=\"22\" class=\"chart-title\" font-size=\"{TitleSize}\" font-weight=\"bold\" fill=\"#1b1b1b\">");
        for (var i = 0; i < titleLines.Count; i++)
            svg.Append(Ci, $"<tspan x=\"{left}\" dy=\"{(i == 0 ? 0 : TitleSize * 1.2):0.#}\">{E(titleLines[i])}</tspan>");
        svg.Append("</text>");
        var subtitleY = 42 + (titleLines.Count - 1) * TitleSize * 1.2;
        svg.Append(Ci, $"<text x=\"{left}\" y=\"{subtitleY:0.#}\" class=\"chart-subtitle\" font-size=\"{SubtitleSize}\" fill=\"#3b3b3b\">");
        for (var i = 0; i < subtitleLines.Count; i++)
            svg.Append(Ci, $"<tspan x=\"{left}\" dy=\"{(i == 0 ? 0 : SubtitleSize * 1.25):0.#}\">{E(subtitleLines[i])}</tspan>");
        svg.Append("</text>");

        // Grid and vertical axis.
        foreach (var v in Ticks())
        {
            var y = Y(v);
            svg.Append(Ci, $"<line x1=\"{left:0.#}\" x2=\"{left + plotW:0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{(Math.Abs(v) < step / 1e6 ? "#6b6b6b" : "#e3e3e3")}\" stroke-width=\"1\"/>");
            svg.Append(Ci, $"<text x=\"{left - 6:0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11.5\" fill=\"#3b3b3b\">{E(TickLabel(v))}</text>");
        }
        if (YLabel.Length > 0)
            svg.Append(Ci, $"<text transform=\"translate(14 {top + plotH / 2:0.#}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#3b3b3b\">{E(YLabel)}</text>");

        // Horizontal axis: every labelled category, thinned so labels do not collide.
        var ticks = Categories.Select((c, i) => (c, i)).Where(t => t.c.Tick).ToList();
        var every = Math.Max(1, (int)Math.Ceiling(ticks.Count * 62.0 / plotW));
        foreach (var (c, i) in ticks.Where((_, k) => k % every == 0))
        {
            svg.Append(Ci, $"<line x1=\"{X(i):0.#}\" x2=\"{X(i):0.#}\" y1=\"{top + plotH:0.#}\" y2=\"{top + plotH + 5:0.#}\" stroke=\"#6b6b6b\"/>");
            svg.Append(Ci, $"<text x=\"{X(i):0.#}\" y=\"{top + plotH + 19:0.#}\" text-anchor=\"middle\" font-size=\"11.5\" fill=\"#3b3b3b\">{E(c.Label)}</text>");
        }
        svg.Append(Ci, $"<text x=\"{left + plotW / 2:0.#}\" y=\"{top + plotH + 38:0.#}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#3b3b3b\">Financial year (April to March)</text>");

        foreach (var band in Bands)
            foreach (var run in Runs(band.Lower.Zip(band.Upper, (lo, hi) => lo is null || hi is null ? ((double, double)?)null : (lo.Value, hi.Value)).ToList()))
            {
                var upper = run.Select(p => $"{X(p.Index):0.#},{Y(p.Value.Item2):0.#}");
                var lower = run.AsEnumerable().Reverse().Select(p => $"{X(p.Index):0.#},{Y(p.Value.Item1):0.#}");
                svg.Append(Ci, $"<polygon points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"{band.Colour}\" fill-opacity=\"{band.Opacity:0.##}\" stroke=\"none\"><title>{E(band.Name)}</title></polygon>");
            }
        foreach (var line in Lines)
            foreach (var run in Runs(line.Values))
            {
                var points = string.Join(' ', run.Select(p => $"{X(p.Index):0.#},{Y(p.Value):0.#}"));
                if (run.Count == 1)
                    svg.Append(Ci, $"<circle cx=\"{X(run[0].Index):0.#}\" cy=\"{Y(run[0].Value):0.#}\" r=\"3\" fill=\"{line.Colour}\"/>");
                else
                    svg.Append(Ci, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{line.Colour}\" stroke-width=\"{line.Width:0.#}\"{(line.Dashed ? " stroke-dasharray=\"7 4\"" : "")} stroke-linejoin=\"round\"><title>{E(line.Name)}</title></polyline>");
            }
        foreach (var marker in Points)
            for (var i = 0; i < marker.Values.Count; i++)
                if (marker.Values[i] is { } v)
                {
                    var (x, y) = (X(i), Y(v));
                    svg.Append(Ci, $"<path d=\"M{x:0.#},{y - 7:0.#} L{x + 7:0.#},{y:0.#} L{x:0.#},{y + 7:0.#} L{x - 7:0.#},{y:0.#} Z\" fill=\"{marker.Colour}\" stroke=\"#ffffff\" stroke-width=\"1\"><title>{E($"{marker.Name}, {Categories[i].Label}: {v.ToString("N0", Ci)}")}</title></path>");
                }

        // Legend: rows under the axis title, laid out by Legend() so the chart is tall enough for them.
        var legendTop = Height + ExtraTop - 30.0;
        var k = 0;
        foreach (var band in Bands)
        {
            var (lx, ly) = (legendItems[k].X, legendTop + legendItems[k++].Row * 19);
            svg.Append(Ci, $"<rect x=\"{lx:0.#}\" y=\"{ly - 10:0.#}\" width=\"18\" height=\"12\" fill=\"{band.Colour}\" fill-opacity=\"{band.Opacity:0.##}\"/>");
            svg.Append(Ci, $"<text x=\"{lx + 23:0.#}\" y=\"{ly:0.#}\" font-size=\"{LegendSize}\" fill=\"#1b1b1b\">{E(band.Name)}</text>");
        }
        foreach (var line in Lines)
        {
            var (lx, ly) = (legendItems[k].X, legendTop + legendItems[k++].Row * 19);
            svg.Append(Ci, $"<line x1=\"{lx:0.#}\" x2=\"{lx + 18:0.#}\" y1=\"{ly - 4:0.#}\" y2=\"{ly - 4:0.#}\" stroke=\"{line.Colour}\" stroke-width=\"3\"{(line.Dashed ? " stroke-dasharray=\"5 3\"" : "")}/>");
            svg.Append(Ci, $"<text x=\"{lx + 23:0.#}\" y=\"{ly:0.#}\" font-size=\"{LegendSize}\" fill=\"#1b1b1b\">{E(line.Name)}</text>");
        }
        foreach (var marker in Points)
        {
            var (lx, ly) = (legendItems[k].X, legendTop + legendItems[k++].Row * 19);
            svg.Append(Ci, $"<path d=\"M{lx + 9:0.#},{ly - 11:0.#} L{lx + 16:0.#},{ly - 4:0.#} L{lx + 9:0.#},{ly + 3:0.#} L{lx + 2:0.#},{ly - 4:0.#} Z\" fill=\"{marker.Colour}\"/>");
            svg.Append(Ci, $"<text x=\"{lx + 23:0.#}\" y=\"{ly:0.#}\" font-size=\"{LegendSize}\" fill=\"#1b1b1b\">{E(marker.Name)}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Runs of consecutive non-null values with their category index.</summary>
    private static List<List<(int Index, T Value)>> Runs<T>(IReadOnlyList<T?> values) where T : struct
    {
        var runs = new List<List<(int, T)>>();
        List<(int, T)>? current = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } v && (v is not double d || double.IsFinite(d)))
            {
                current ??= [];
                current.Add((i, v));
            }
            else if (current is not null)
            {
                runs.Add(current);
                current = null;
            }
        }
        if (current is not null) runs.Add(current);
        return runs;
    }

    /// <summary>A round axis from min to max in about five steps; for counts the step is a whole number (1, 2, 5, 10, ...).</summary>
    private static (double Min, double Max, double Step) Scale(double min, double max, bool counts)
    {
        if (max <= min) max = min + 1;
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        // 2.5 and anything under 1 would put halves (or quarters) between whole counts.
        if (counts && (step < 1 || step % 1 != 0)) step = step < 1 ? 1 : Math.Ceiling(step / magnitude / 5) * 5 * magnitude;
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
