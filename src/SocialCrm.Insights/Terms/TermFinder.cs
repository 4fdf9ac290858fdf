using System.Buffers;

namespace SocialCrm.Insights.Terms;

/// <summary>
/// Finds what a customer praises, what they complain about and what else they use the product for, in
/// one message. Pure and allocation-light: the text is read once into pooled buffers; strings are made
/// only for the clauses scored and the terms found. See README.md in this folder for the rules.
/// </summary>
public static class TermFinder
{
    /// <summary>A clause this positive praises its terms; this negative criticises them.</summary>
    internal const double Threshold = 0.05;

    /// <summary>Advantages and disadvantages together, so a long rant cannot flood the aggregates.</summary>
    internal const int MaxTermsPerMessage = 8;

    /// <summary>Text past this length is not read.</summary>
    internal const int MaxTextLength = 16_384;

    // Bounds the calls to the analyzer for a text that repeats the same terms many times.
    private const int MaxScoredClauses = 24;

    /// <param name="text">One inbound message; null, empty and unreadable text give <see cref="TermFindings.None"/>.</param>
    /// <param name="scoreClause">The sentiment in [-1, 1] of one clause of the text.</param>
    public static TermFindings Find(string text, Func<string, double> scoreClause)
    {
        ArgumentNullException.ThrowIfNull(scoreClause);
        if (string.IsNullOrWhiteSpace(text)) return TermFindings.None;

        var length = Math.Min(text.Length, MaxTextLength);
        var tokenRoom = length / 2 + 2;
        var norm = ArrayPool<char>.Shared.Rent(length);
        var tokens = ArrayPool<Token>.Shared.Rent(tokenRoom);
        var segments = ArrayPool<Segment>.Shared.Rent(tokenRoom);
        try
        {
            var tokenizer = new Tokenizer(text.AsSpan(0, length), norm, tokens.AsSpan(0, tokenRoom), segments.AsSpan(0, tokenRoom));
            tokenizer.Run();
            var read = new Reading(text, norm, tokens.AsSpan(0, tokenizer.TokenCount), segments.AsSpan(0, tokenizer.SegmentCount));
            WordRoles.Assign(read.Tokens, norm);
            return read.Find(scoreClause);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(norm);
            ArrayPool<Token>.Shared.Return(tokens);
            ArrayPool<Segment>.Shared.Return(segments);
        }
    }

    private ref struct Reading(string text, ReadOnlySpan<char> norm, Span<Token> tokens, ReadOnlySpan<Segment> segments)
    {
        private readonly string _text = text;
        private readonly ReadOnlySpan<char> _norm = norm;
        private readonly ReadOnlySpan<Segment> _segments = segments;
        private List<string>? _advantages;
        private List<string>? _disadvantages;
        private List<string>? _uses;
        private int _terms;
        private int _scored;
        private int _scoredClause = -1;
        private double _clauseScore;

        public readonly Span<Token> Tokens = tokens;

        public TermFindings Find(Func<string, double> scoreClause)
        {
            Span<Phrase> uses = stackalloc Phrase[UnusualUses.MaxPerMessage];
            var useCount = UnusualUses.Find(Tokens, uses);
            foreach (var use in uses[..useCount]) Add(ref _uses, use);

            Span<Phrase> phrases = stackalloc Phrase[MaxTermsPerMessage];
            for (var s = 0; s < _segments.Length && _terms < MaxTermsPerMessage && _scored < MaxScoredClauses; s++)
            {
                var count = Phrases(_segments[s], phrases[..(MaxTermsPerMessage - _terms)]);
                if (count == 0) continue;
                var score = Score(s, scoreClause);
                if (score >= Threshold)
                    foreach (var phrase in phrases[..count]) _terms += Add(ref _advantages, phrase);
                else if (score <= -Threshold)
                    foreach (var phrase in phrases[..count]) _terms += Add(ref _disadvantages, phrase);
            }

            return _advantages is null && _disadvantages is null && _uses is null
                ? TermFindings.None
                : new TermFindings(_advantages ?? (IReadOnlyList<string>)[], _disadvantages ?? (IReadOnlyList<string>)[], _uses ?? (IReadOnlyList<string>)[]);
        }

        /// <summary>
        /// The segment's candidate phrases: maximal runs of adjacent candidate nouns, where a vague noun
        /// may end a run ("delivery time") but not start one. Only the run is a term, not also its parts.
        /// </summary>
        private readonly int Phrases(Segment segment, Span<Phrase> found)
        {
            var count = 0;
            var i = segment.FirstToken;
            while (i < segment.TokenEnd && count < found.Length)
            {
                if (Tokens[i].Role != Role.Candidate || Tokens[i].Consumed)
                {
                    i++;
                    continue;
                }
                var end = i + 1;
                while (end < segment.TokenEnd && Tokens[end].Joins && !Tokens[end].Consumed
                    && Tokens[end].Role is Role.Candidate or Role.Generic)
                    end++;
                found[count++] = new Phrase(i, end);
                i = end;
            }
            return count;
        }

        /// <summary>
        /// The segment's own score; when that is neutral and the clause has other segments, the whole
        /// clause's ("I love the camera, the screen and the speakers": the list inherits the praise).
        /// </summary>
        private double Score(int s, Func<string, double> scoreClause)
        {
            var segment = _segments[s];
            _scored++;
            var score = scoreClause(_text[segment.Start..segment.End]);
            if (Math.Abs(score) >= Threshold) return score;

            var first = s;
            while (first > 0 && _segments[first - 1].Clause == segment.Clause) first--;
            var last = s;
            while (last + 1 < _segments.Length && _segments[last + 1].Clause == segment.Clause) last++;
            if (first == last) return score;
            if (_scoredClause != segment.Clause)
            {
                _scored++;
                _scoredClause = segment.Clause;
                _clauseScore = scoreClause(_text[_segments[first].Start.._segments[last].End]);
            }
            return _clauseScore;
        }

        /// <summary>Adds the phrase's term unless the list has it; returns 1 when added.</summary>
        private readonly int Add(ref List<string>? list, Phrase phrase)
        {
            Span<char> buffer = stackalloc char[Phrase.BufferLength];
            var length = phrase.Write(Tokens, _norm, buffer);
            if (length == 0) return 0;
            var term = buffer[..length];
            if (list is not null)
                foreach (var known in list)
                    if (term.SequenceEqual(known)) return 0;
            (list ??= new List<string>(4)).Add(term.ToString());
            return 1;
        }
    }
}
