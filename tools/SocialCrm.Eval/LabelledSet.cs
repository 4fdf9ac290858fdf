using System.Globalization;

namespace SocialCrm.Eval;

/// <summary>One message of the labelled set with its mean human rating (-4..4).</summary>
internal sealed record LabelledText(int Id, double Rating, string Source, string Text)
{
    /// <summary>Clearly polar: the raters agree it is positive or negative, not borderline.</summary>
    public const double ClearlyPolar = 1.5;

    public int Polarity => Math.Sign(Rating);
}

/// <summary>Reads data/labelled.tsv: id, rating, source, text, tab-separated, with a header line.</summary>
internal static class LabelledSet
{
    public static IReadOnlyList<LabelledText> Read(string path)
    {
        var texts = new List<LabelledText>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0)
                continue;
            var fields = line.Split('\t');
            if (fields.Length != 4)
                throw new FormatException($"{path}: expected 4 tab-separated fields, found {fields.Length}: '{line}'.");
            texts.Add(new LabelledText(
                int.Parse(fields[0], CultureInfo.InvariantCulture),
                double.Parse(fields[1], CultureInfo.InvariantCulture),
                fields[2],
                fields[3]));
        }
        return texts;
    }
}
