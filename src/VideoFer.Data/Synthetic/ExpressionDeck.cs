using VideoFer.Data.Randomness;

namespace VideoFer.Data.Synthetic;

/// <summary>Deals the six non-neutral expressions in shuffled rounds so each appears about equally often.</summary>
public sealed class ExpressionDeck(SeededRandom rng)
{
    readonly List<Expression> _cards = [];

    public Expression Next()
    {
        if (_cards.Count == 0)
        {
            _cards.AddRange([Expression.Anger, Expression.Disgust, Expression.Fear, Expression.Happiness, Expression.Sadness, Expression.Surprise]);
            rng.Shuffle(_cards);
        }
        var e = _cards[^1];
        _cards.RemoveAt(_cards.Count - 1);
        return e;
    }
}
