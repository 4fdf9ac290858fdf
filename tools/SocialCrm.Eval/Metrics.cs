using SocialCrm.Insights;

namespace SocialCrm.Eval;

/// <summary>Agreement of the analyzer with the human ratings.</summary>
internal sealed record Metrics(int Count, double Accuracy, int PolarCount, double MacroF1, double F1Positive, double F1Negative, double PearsonR)
{
    public static Metrics Of(IReadOnlyList<LabelledText> texts, IReadOnlyList<Sentiment> results)
    {
        var correct = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            if ((int)results[i].Label == texts[i].Polarity)
                correct++;
        }

        var polar = Enumerable.Range(0, texts.Count).Where(i => Math.Abs(texts[i].Rating) >= LabelledText.ClearlyPolar).ToList();
        var f1Positive = F1(polar, texts, results, SentimentLabel.Positive);
        var f1Negative = F1(polar, texts, results, SentimentLabel.Negative);

        var r = Pearson(texts.Select(t => t.Rating).ToArray(), results.Select(s => s.Score).ToArray());
        return new Metrics(texts.Count, (double)correct / texts.Count, polar.Count, (f1Positive + f1Negative) / 2, f1Positive, f1Negative, r);
    }

    /// <summary>F1 of one class; a neutral answer on a polar text counts as a miss.</summary>
    private static double F1(List<int> subset, IReadOnlyList<LabelledText> texts, IReadOnlyList<Sentiment> results, SentimentLabel label)
    {
        int truePositives = 0, predicted = 0, actual = 0;
        foreach (var i in subset)
        {
            var isActual = texts[i].Polarity == (int)label;
            var isPredicted = results[i].Label == label;
            if (isActual)
                actual++;
            if (isPredicted)
                predicted++;
            if (isActual && isPredicted)
                truePositives++;
        }
        if (truePositives == 0)
            return 0;
        var precision = (double)truePositives / predicted;
        var recall = (double)truePositives / actual;
        return 2 * precision * recall / (precision + recall);
    }

    private static double Pearson(double[] x, double[] y)
    {
        var meanX = x.Average();
        var meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            varianceX += (x[i] - meanX) * (x[i] - meanX);
            varianceY += (y[i] - meanY) * (y[i] - meanY);
        }
        return varianceX == 0 || varianceY == 0 ? 0 : covariance / Math.Sqrt(varianceX * varianceY);
    }
}
