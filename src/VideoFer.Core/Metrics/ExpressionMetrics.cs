namespace VideoFer.Metrics;

/// <summary>Computes accuracy, per-class precision/recall/F1 and macro F1 the way scikit-learn does, so
/// numbers match the organisers' scripts: precision = TP/(TP+FP), recall = TP/(TP+FN), each 0 when its
/// denominator is 0, F1 = 2PR/(P+R) or 0 when P+R = 0, macro F1 = their plain mean.</summary>
public static class ExpressionMetrics
{
    /// <summary>Metrics of predictions against truth; frames whose truth is -1 are excluded.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classCount,
        F1Average average = F1Average.PresentLabels) =>
        FromConfusion(ConfusionMatrix.From(truth, predicted, classCount), average);

    public static ClassificationMetrics FromConfusion(ConfusionMatrix m, F1Average average = F1Average.PresentLabels)
    {
        int n = m.ClassCount;
        var precision = new double[n];
        var recall = new double[n];
        var f1 = new double[n];
        var averaged = new List<int>();
        for (int c = 0; c < n; c++)
        {
            long tp = m[c, c], predictedC = m.PredictedCount(c), trueC = m.TrueCount(c);
            precision[c] = predictedC == 0 ? 0 : (double)tp / predictedC;
            recall[c] = trueC == 0 ? 0 : (double)tp / trueC;
            double denominator = precision[c] + recall[c];
            f1[c] = denominator == 0 ? 0 : 2 * precision[c] * recall[c] / denominator;
            if (average == F1Average.AllClasses || predictedC > 0 || trueC > 0)
                averaged.Add(c);
        }
        double sum = 0;
        foreach (int c in averaged) sum += f1[c];
        double macro = averaged.Count == 0 ? 0 : sum / averaged.Count;
        double accuracy = m.Total == 0 ? 0 : (double)m.Correct / m.Total;
        return new ClassificationMetrics(n, m.Total, accuracy, precision, recall, f1, macro, averaged, m);
    }
}
