using SocialCrm.Insights.Terms;

namespace SocialCrm.Insights.Tests.Terms;

public sealed class TermFinderTests
{
    private readonly StandInSentiment _sentiment = new();

    private TermFindings Find(string text) => TermFinder.Find(text, _sentiment.Score);

    [Fact]
    public void A_praised_feature_is_an_advantage()
    {
        var found = Find("The camera is amazing");

        Assert.Equal(["camera"], found.Advantages);
        Assert.Empty(found.Disadvantages);
    }

    [Fact]
    public void A_complaint_is_a_disadvantage()
    {
        var found = Find("The strap is awful");

        Assert.Empty(found.Advantages);
        Assert.Equal(["strap"], found.Disadvantages);
    }

    [Fact]
    public void A_neutral_message_finds_nothing()
    {
        Assert.Same(TermFindings.None, Find("The parcel arrived on Tuesday"));
    }

    [Fact]
    public void But_splits_praise_from_complaint()
    {
        var found = Find("Love the battery but the screen is awful");

        Assert.Equal(["battery"], found.Advantages);
        Assert.Equal(["screen"], found.Disadvantages);
        Assert.Equal(["Love the battery", "the screen is awful"], _sentiment.Clauses);
    }

    [Theory]
    [InlineData("Customer service is the worst!!! Love the shoes though")]
    [InlineData("Customer service is the worst; however, the shoes are great")]
    [InlineData("Customer service is the worst\nthe shoes are great")]
    [InlineData("Customer service is the worst 😡 shoes are great")]
    public void Sentence_ends_contrast_words_and_emoji_split_clauses(string text)
    {
        var found = Find(text);

        Assert.Equal(["shoe"], found.Advantages);
        Assert.Equal(["customer service"], found.Disadvantages);
    }

    [Fact]
    public void Commas_split_a_clause_into_separately_scored_parts()
    {
        var found = Find("Great camera, terrible battery");

        Assert.Equal(["camera"], found.Advantages);
        Assert.Equal(["battery"], found.Disadvantages);
    }

    [Fact]
    public void And_splits_a_clause_into_separately_scored_parts()
    {
        var found = Find("The packaging was great and the instructions were awful");

        Assert.Equal(["packaging"], found.Advantages);
        Assert.Equal(["instruction"], found.Disadvantages);
    }

    [Fact]
    public void A_neutral_part_of_a_list_takes_the_clause_sentiment()
    {
        var found = Find("I love the camera, the screen and the speakers");

        Assert.Equal(["camera", "screen", "speaker"], found.Advantages);
    }

    [Theory]
    [InlineData("The batteries are terrible", "battery")]
    [InlineData("These shoes are terrible", "shoe")]
    [InlineData("The boxes are terrible", "box")]
    [InlineData("The knives are terrible", "knife")]
    [InlineData("The cookies are terrible", "cookie")]
    [InlineData("The glass is terrible", "glass")]
    [InlineData("The series is terrible", "series")]
    [InlineData("The news is terrible", "news")]
    [InlineData("These jeans are terrible", "jeans")]
    [InlineData("The LENS is terrible", "lens")]
    [InlineData("The phone's charger is terrible", "phone charger")]
    public void Terms_are_lower_case_and_singular(string text, string term)
    {
        Assert.Equal([term], Find(text).Disadvantages);
    }

    [Fact]
    public void Stop_words_pronouns_and_opinion_words_are_not_terms()
    {
        var found = Find("OMG I really love this amazing phone case so much, honestly the best lol");

        Assert.Equal(["phone case"], found.Advantages);
    }

    [Fact]
    public void Verbs_are_not_terms_even_when_they_can_be_nouns()
    {
        var found = Find("My order is terrible and I want to return it");

        Assert.Equal(["order"], found.Disadvantages);
    }

    [Theory]
    [InlineData("The battery life is amazing", "battery life")]
    [InlineData("Customer service was great", "customer service")]
    [InlineData("The delivery time was great", "delivery time")]
    public void A_noun_phrase_is_kept_whole_and_its_parts_not_counted_again(string text, string term)
    {
        Assert.Equal([term], Find(text).Advantages);
    }

    [Theory]
    [InlineData("Awful, my phone battery drains so fast now", "phone battery")]
    [InlineData("The app crashes constantly, awful", "app")]
    public void A_verb_after_a_noun_does_not_join_its_phrase(string text, string term)
    {
        Assert.Equal([term], Find(text).Disadvantages);
    }

    [Fact]
    public void A_vague_noun_alone_is_not_a_term()
    {
        Assert.Same(TermFindings.None, Find("Worst purchase ever, the thing was bad after a day"));
    }

    [Fact]
    public void Hashtags_become_their_words()
    {
        var found = Find("#BatteryLife is amazing #camera");

        Assert.Equal(["battery life", "camera"], found.Advantages);
    }

    [Fact]
    public void Links_mentions_and_email_addresses_are_ignored()
    {
        var found = Find("@AcmeSupport the charger is terrible https://t.co/abc123 see www.acme.com/help or help@acme.com");

        Assert.Equal(["charger"], found.Disadvantages);
    }

    [Fact]
    public void Numbers_are_not_terms()
    {
        var found = Find("Paid 300 dollars and the screen died after two days, awful");

        Assert.Equal(["screen"], found.Disadvantages);
    }

    [Fact]
    public void A_long_rant_gives_at_most_eight_terms()
    {
        var nouns = new[]
        {
            "screen", "hinge", "keyboard", "speaker", "camera", "charger", "cable", "case", "strap", "button",
            "lid", "fan", "port", "lens", "remote", "stand", "box", "manual", "plug", "switch",
        };
        var rant = string.Join(" ", nouns.Select(noun => $"The {noun} is awful."));

        var found = Find(rant);

        Assert.Equal(nouns.Take(8), found.Disadvantages);
    }

    [Fact]
    public void A_term_is_listed_once_per_message()
    {
        var found = Find("The screen is awful. Did I say the screen is awful? Awful screens.");

        Assert.Equal(["screen"], found.Disadvantages);
    }

    [Fact]
    public void Chat_abbreviations_and_stretched_words_are_not_terms()
    {
        Assert.Equal(["remote"], Find("The remote is sooooo awful brb").Disadvantages);
    }

    [Fact]
    public void Overlong_words_are_not_terms()
    {
        Assert.Same(TermFindings.None, Find("The supercalifragilisticexpialidociousgadget is awful"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Empty_text_finds_nothing_and_asks_the_analyzer_nothing(string? text)
    {
        Assert.Same(TermFindings.None, Find(text!));
        Assert.Empty(_sentiment.Clauses);
    }

    [Theory]
    [InlineData("😍😍😍🔥🔥")]
    [InlineData("!!!???...,,,;;;")]
    [InlineData("Это ужасный телефон, ужасный")]
    [InlineData("これは素晴らしい")]
    public void Emoji_punctuation_and_other_scripts_find_nothing(string text)
    {
        Assert.Same(TermFindings.None, Find(text));
    }

    [Fact]
    public void Ten_thousand_characters_of_anything_do_not_throw()
    {
        var random = new Random(7);
        var chars = new char[10_000];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = (char)random.Next(0, 0xFFFF);

        var found = Find(new string(chars));

        Assert.True(found.Advantages.Count + found.Disadvantages.Count <= 8);
    }

    [Fact]
    public void A_ten_thousand_character_complaint_is_read_with_few_analyzer_calls()
    {
        var text = string.Concat(Enumerable.Repeat("the screen is awful, ", 500));

        var found = Find(text);

        Assert.Equal(["screen"], found.Disadvantages);
        Assert.InRange(_sentiment.Clauses.Count, 1, 24);
    }
}
