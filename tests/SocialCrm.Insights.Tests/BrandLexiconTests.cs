namespace SocialCrm.Insights.Tests;

/// <summary>A brand's terms are checked, with a reason the user can act on when they are refused.</summary>
public sealed class BrandLexiconTests
{
    private static string? Refusal(Dictionary<string, double> terms)
    {
        var accepted = BrandLexicon.TryCreate(terms, out var lexicon, out var error);
        Assert.Equal(accepted, error is null);
        Assert.Equal(accepted, lexicon is not null);
        return error;
    }

    [Fact]
    public void Terms_are_normalised_to_lower_case_and_single_spaces()
    {
        Assert.True(BrandLexicon.TryCreate(new Dictionary<string, double> { ["  Slaps   HARD "] = 3, ["Can’t-Miss"] = 2 }, out var lexicon, out var error));

        Assert.Null(error);
        Assert.Equal(3, lexicon!.Terms["slaps hard"]);
        Assert.Equal(2, lexicon.Terms["can't-miss"]);
        Assert.Equal(2, lexicon.Terms.Count);
    }

    [Fact]
    public void The_empty_lexicon_has_no_terms() => Assert.Empty(BrandLexicon.Empty.Terms);

    [Fact]
    public void No_terms_are_refused() => Assert.Contains("at least one", Refusal([]));

    [Fact]
    public void More_than_the_maximum_number_of_terms_is_refused()
    {
        var terms = Enumerable.Range(0, BrandLexicon.MaxTerms + 1).ToDictionary(i => $"term{i}", _ => 1.0);
        Assert.Contains("at most 500", Refusal(terms));

        terms.Remove("term0");
        Assert.Null(Refusal(terms));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("great!", "character")]
    [InlineData("😍", "character")]
    [InlineData("a_b", "character")]
    [InlineData("one two three four", "more than 3 words")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmno", "at most 40")]
    public void A_malformed_term_is_refused_with_its_reason(string term, string reason) =>
        Assert.Contains(reason, Refusal(new Dictionary<string, double> { [term] = 1 }));

    [Theory]
    [InlineData(4.01)]
    [InlineData(-4.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_valence_outside_minus_four_to_four_is_refused(double valence) =>
        Assert.Contains("from -4 to 4", Refusal(new Dictionary<string, double> { ["sick"] = valence }));

    [Theory]
    [InlineData(4)]
    [InlineData(-4)]
    [InlineData(0)]
    public void Valences_at_the_bounds_are_accepted(double valence) =>
        Assert.Null(Refusal(new Dictionary<string, double> { ["sick"] = valence }));

    [Fact]
    public void The_same_term_twice_in_different_case_is_refused() =>
        Assert.Contains("twice", Refusal(new Dictionary<string, double> { ["Sick"] = 3, ["sick"] = 2 }));

    [Fact]
    public void A_term_of_forty_characters_and_three_words_is_accepted() =>
        Assert.Null(Refusal(new Dictionary<string, double> { ["abcdefghijklm nopqrstuvwxyz abcdefghijkl"] = 1 }));

    [Fact]
    public void Refusals_are_one_sentence()
    {
        var error = Refusal(new Dictionary<string, double> { ["great!"] = 1 })!;
        Assert.EndsWith(".", error);
        Assert.Equal(1, error.Count(c => c == '.'));
    }
}
