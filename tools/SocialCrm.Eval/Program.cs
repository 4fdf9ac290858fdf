using System.Globalization;
using SocialCrm.Eval;
using SocialCrm.Insights;

// dotnet run --project tools/SocialCrm.Eval -c Release [-- --no-bench | --errors N | --half 1|2 | --text "message" | --stdin]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var analyzer = SentimentAnalyzer.Default;

var textIndex = Array.IndexOf(args, "--text");
if (textIndex >= 0 && textIndex + 1 < args.Length)
{
    var one = analyzer.Analyze(args[textIndex + 1]);
    Console.WriteLine($"score {one.Score:0.0000} label {one.Label.ToString().ToLowerInvariant()}");
    return 0;
}

// --stdin: one message a line from standard input, each printed with its score.
if (args.Contains("--stdin"))
{
    while (Console.In.ReadLine() is { } line)
    {
        var one = analyzer.Analyze(line);
        Console.WriteLine($"{one.Score,7:0.0000}  {line}");
    }
    return 0;
}

var path = Path.Combine(AppContext.BaseDirectory, "data", "labelled.tsv");
var set = LabelledSet.Read(path);
// Half 1 is the odd ids, half 2 the even ones: rules are tuned by the errors of half 1 and checked on half 2.
var halfIndex = Array.IndexOf(args, "--half");
var half = halfIndex >= 0 && halfIndex + 1 < args.Length && int.TryParse(args[halfIndex + 1], out var h) && h is 1 or 2 ? h : 0;
if (half != 0)
    set = set.Where(t => t.Id % 2 == half % 2).ToList();
var results = set.Select(t => analyzer.Analyze(t.Text)).ToList();
var metrics = Metrics.Of(set, results);

Console.WriteLine($"texts {metrics.Count} (data/labelled.tsv{(half == 0 ? "" : $", half {half}: {(half == 1 ? "odd" : "even")} ids")})");
Console.WriteLine($"accuracy {metrics.Accuracy:0.0000} (3-class, n={metrics.Count})");
Console.WriteLine($"macro-F1 {metrics.MacroF1:0.0000} (positive {metrics.F1Positive:0.0000}, negative {metrics.F1Negative:0.0000}; clearly polar |rating|>={LabelledText.ClearlyPolar}, n={metrics.PolarCount})");
Console.WriteLine($"pearson-r {metrics.PearsonR:0.0000} (score vs rating, n={metrics.Count})");

var errorsIndex = Array.IndexOf(args, "--errors");
if (errorsIndex >= 0)
{
    var limit = errorsIndex + 1 < args.Length && int.TryParse(args[errorsIndex + 1], out var n) ? n : 30;
    var wrong = set.Select((t, i) => (Text: t, Result: results[i]))
        .Where(x => (int)x.Result.Label != x.Text.Polarity)
        .OrderByDescending(x => Math.Abs(x.Text.Rating / 4 - x.Result.Score))
        .Take(limit);
    foreach (var (text, result) in wrong)
        Console.WriteLine($"  rating {text.Rating,2} score {result.Score,7:0.0000}  {text.Text}");
}

if (!args.Contains("--no-bench"))
{
    var throughput = Throughput.Measure(analyzer, set.Select(t => t.Text).ToList());
    Console.WriteLine($"throughput {throughput.MessagesPerSecond:0} messages/s (one thread, wall clock, {throughput.Messages} messages after warm-up)");
    Console.WriteLine($"throughput-cpu {throughput.MessagesPerCpuSecond:0} messages per CPU second (same run, by process CPU time)");
    Console.WriteLine($"allocated {throughput.BytesPerMessage:0.0} bytes/message");
}
return 0;
