namespace SocialCrm.Insights.Tests;

/// <summary>Each rule of the analyzer moves a message's score the way a reader would expect.</summary>
public sealed class SentimentRulesTests
{
    private static double Score(string text) => SentimentAnalyzer.Default.Analyze(text).Score;

    private static SentimentLabel Label(string text) => SentimentAnalyzer.Default.Analyze(text).Label;

    [Fact]
    public void A_praise_word_is_positive_and_a_complaint_word_negative()
    {
        Assert.True(Score("The delivery was good") > 0);
        Assert.True(Score("The delivery was terrible") < 0);
    }

    [Fact]
    public void Not_turns_praise_into_a_complaint()
    {
        Assert.True(Score("not good") < 0);
        Assert.True(Score("good") > 0);
    }

    [Theory]
    [InlineData("isn't great")]
    [InlineData("isn’t great")]
    [InlineData("isnt great")]
    [InlineData("The app is not great")]
    [InlineData("I don't like it")]
    [InlineData("never good")]
    public void A_negated_praise_is_negative(string text) => Assert.True(Score(text) < 0, text);

    [Theory]
    [InlineData("never disappointed")]
    [InlineData("without problems")]
    [InlineData("no problems at all")]
    [InlineData("not bad at all")]
    [InlineData("zero complaints")]
    public void A_negated_complaint_is_positive(string text) => Assert.True(Score(text) > 0, text);

    [Fact]
    public void Negation_weakens_as_well_as_flips()
    {
        Assert.True(Math.Abs(Score("not good")) < Math.Abs(Score("good")) + 0.1);
        Assert.True(Score("not bad") < Score("good"));
    }

    [Fact]
    public void Negation_does_not_reach_past_punctuation()
    {
        Assert.True(Score("Not bad, great food") > Score("Not bad great food"));
        Assert.True(Score("Not what I ordered. Great fries though") > 0);
    }

    [Fact]
    public void Negation_reaches_three_words_back_and_no_further()
    {
        Assert.True(Score("not a very good phone") < 0);
        Assert.True(Score("not the phone I wanted but good") > 0);
    }

    [Theory]
    [InlineData("I couldn't be happier")]
    [InlineData("could not be more pleased")]
    [InlineData("I can't thank you enough")]
    [InlineData("never so happy")]
    public void Some_negations_strengthen_praise(string text) => Assert.True(Score(text) > 0, text);

    [Fact]
    public void Couldnt_be_worse_stays_a_complaint() => Assert.True(Score("It couldn't be worse") < 0);

    [Fact]
    public void Intensifiers_raise_and_dampeners_lower_the_score()
    {
        Assert.True(Score("very good") > Score("good"));
        Assert.True(Score("good") > Score("kind of good"));
        Assert.True(Score("extremely good") > Score("good"));
        Assert.True(Score("slightly good") < Score("good"));
        Assert.True(Score("very bad") < Score("bad"));
        Assert.True(Score("a bit bad") > Score("bad"));
    }

    [Fact]
    public void Barely_works_is_worse_than_works()
    {
        Assert.True(Score("barely works") < 0);
        Assert.True(Score("barely works") < Score("works"));
    }

    [Fact]
    public void A_modifier_that_is_also_a_word_counts_as_a_word_when_alone()
    {
        Assert.True(Score("pretty bad") < Score("bad") - 0.01);
        Assert.True(Score("The dress is pretty") > 0);
    }

    [Fact]
    public void After_but_the_second_clause_weighs_more()
    {
        Assert.True(Score("the food was great but the service was awful") < 0);
        Assert.True(Score("the service was awful but the food was great") > 0);
        Assert.True(Score("The food was great. But the service was awful.") < 0);
    }

    [Fact]
    public void But_weakens_what_comes_before_and_strengthens_what_comes_after()
    {
        Assert.True(Score("It came on time but it was bad") < Score("It came on time and it was bad"));
        Assert.True(Score("It was good but it came late") < Score("It was good and it came late"));
        Assert.True(Score("It was good, however it came late") < Score("It was good and it came late"));
    }

    [Fact]
    public void Capitals_emphasise_when_the_rest_is_lower_case()
    {
        Assert.True(Score("The food was GREAT") > Score("The food was great"));
        Assert.True(Score("The food was AWFUL") < Score("The food was awful"));
    }

    [Fact]
    public void A_message_all_in_capitals_is_not_extra_emphasis()
    {
        Assert.Equal(Score("the food was great"), Score("THE FOOD WAS GREAT"));
    }

    [Fact]
    public void Exclamation_marks_amplify_up_to_four()
    {
        Assert.True(Score("good!!!") > Score("good"));
        Assert.True(Score("good!!!!") > Score("good!"));
        Assert.Equal(Score("good!!!!"), Score("good!!!!!!!"));
        Assert.True(Score("awful!!!") < Score("awful"));
    }

    [Fact]
    public void Exclamation_marks_alone_carry_no_sentiment() => Assert.Equal(0, Score("It arrived today!!!"));

    [Theory]
    [InlineData(":)", 1)]
    [InlineData(":-)", 1)]
    [InlineData(":D", 1)]
    [InlineData("<3", 1)]
    [InlineData(":(", -1)]
    [InlineData(":'(", -1)]
    [InlineData("😍", 1)]
    [InlineData("👍", 1)]
    [InlineData("❤️", 1)]
    [InlineData("🔥", 1)]
    [InlineData("😡", -1)]
    [InlineData("👎", -1)]
    [InlineData("💔", -1)]
    [InlineData("🙄", -1)]
    public void Emoji_and_emoticons_carry_sentiment(string symbol, int sign)
    {
        Assert.Equal(sign, Math.Sign(Score(symbol)));
        Assert.Equal(sign, Math.Sign(Score($"My parcel came today {symbol}")));
    }

    [Fact]
    public void Emoji_and_emoticons_glued_to_words_are_read()
    {
        Assert.True(Score("thanks😍😍") > Score("thanks"));
        Assert.True(Score("arrived:(") < 0);
        Assert.True(Score("arrived 👍🏽") > 0);
    }

    [Theory]
    [InlineData("lol", 1)]
    [InlineData("luv it", 1)]
    [InlineData("this app slaps", 1)]
    [InlineData("meh", -1)]
    [InlineData("this update sucks", -1)]
    [InlineData("smh", -1)]
    [InlineData("what a ripoff", -1)]
    public void Social_slang_carries_sentiment(string text, int sign) => Assert.Equal(sign, Math.Sign(Score(text)));

    [Fact]
    public void Stretched_words_are_read_as_the_word()
    {
        Assert.True(Score("sooo goood") > Score("good"));
        Assert.True(Score("loooove it") > 0);
    }

    [Theory]
    [InlineData("These sneakers are the bomb", 1)]
    [InlineData("This phone cuts the mustard", 1)]
    [InlineData("This phone doesn't cut the mustard", -1)]
    [InlineData("Yeah right, fast delivery", -1)]
    [InlineData("That clause is the kiss of death", -1)]
    [InlineData("Living hand to mouth since the price rise", -1)]
    [InlineData("The dessert was to die for", 1)]
    [InlineData("Total rip off", -1)]
    public void Idioms_are_read_as_a_whole(string text, int sign) => Assert.Equal(sign, Math.Sign(Score(text)));

    [Fact]
    public void Bomb_alone_is_still_bad_news() => Assert.True(Score("There was a bomb scare at the airport") < 0);

    [Fact]
    public void Like_as_a_comparison_is_not_praise()
    {
        Assert.True(Score("I like the new app") > 0);
        Assert.Equal(0, Score("It feels like a week since I ordered"));
    }

    [Fact]
    public void Department_names_are_not_praise() => Assert.Equal(0, Score("I called customer support today"));

    [Fact]
    public void Addresses_and_handles_are_not_read()
    {
        Assert.Equal(0, Score("@BestBuy order 42"));
        Assert.Equal(0, Score("see https://example.com/great-deals"));
    }
}
