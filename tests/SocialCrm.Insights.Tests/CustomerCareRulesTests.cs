namespace SocialCrm.Insights.Tests;

/// <summary>The rules for messages to a brand: service failures, questions, laughter at a complaint.</summary>
public sealed class CustomerCareRulesTests
{
    private static double Score(string text) => SentimentAnalyzer.Default.Analyze(text).Score;

    private static SentimentLabel Label(string text) => SentimentAnalyzer.Default.Analyze(text).Label;

    [Theory]
    [InlineData("Still waiting for a response from your team")]
    [InlineData("My order never arrived")]
    [InlineData("You charged me twice for one ticket")]
    [InlineData("Been on hold for an hour")]
    [InlineData("The app doesn't work on my tablet")]
    [InlineData("Where is my refund")]
    [InlineData("Parcel arrived three days late")]
    [InlineData("The engineer never showed up")]
    [InlineData("Sent two emails and no reply")]
    public void A_service_failure_without_a_sentiment_word_is_a_complaint(string text) =>
        Assert.Equal(SentimentLabel.Negative, Label(text));

    [Fact]
    public void A_service_failure_weighs_less_than_a_strong_complaint_word()
    {
        Assert.True(Score("The delivery never arrived") > Score("The delivery was horrible"));
        Assert.Equal(SentimentLabel.Positive, Label("Took forever to arrive but the staff were lovely and so helpful"));
    }

    [Fact]
    public void Care_words_for_worn_and_faulty_goods_are_complaints()
    {
        Assert.Equal(SentimentLabel.Negative, Label("The cups are flimsy"));
        Assert.Equal(SentimentLabel.Negative, Label("The stream keeps buffering"));
    }

    [Fact]
    public void A_question_shouted_in_capitals_is_a_complaint()
    {
        Assert.Equal(SentimentLabel.Negative, Label("WHERE IS MY ORDER?"));
        Assert.Equal(SentimentLabel.Neutral, Label("Where is my order?"));
    }

    [Theory]
    [InlineData("Which model is best for running?")]
    [InlineData("Can you please help me?")]
    [InlineData("Do you sell gift cards?")]
    [InlineData("Is the moisturiser fragrance free?")]
    [InlineData("Please send me the invoice for my last order")]
    public void A_request_for_information_is_neutral_despite_praise_words(string text) =>
        Assert.Equal(SentimentLabel.Neutral, Label(text));

    [Fact]
    public void A_request_keeps_the_feeling_around_it()
    {
        Assert.Equal(SentimentLabel.Positive, Label("Love these! Do you sell them in blue?"));
        Assert.Equal(SentimentLabel.Positive, Label("Love these. Do you sell them in blue?"));
        Assert.Equal(SentimentLabel.Positive, Label("Can you believe how good this is!"));
        Assert.Equal(SentimentLabel.Positive, Label("Please never change this recipe"));
        Assert.Equal(SentimentLabel.Negative, Label("Please fix the app"));
        Assert.Equal(SentimentLabel.Positive, Label("Does anyone else love this show?"));
    }

    [Theory]
    [InlineData("Why is your app so bad?")]
    [InlineData("Is the app broken again?")]
    [InlineData("Is this a joke?")]
    [InlineData("How hard is it to answer a complaint?")]
    public void A_rhetorical_or_problem_question_stays_negative(string text) =>
        Assert.Equal(SentimentLabel.Negative, Label(text));

    [Fact]
    public void Laughter_at_a_complaint_adds_to_the_complaint()
    {
        Assert.True(Score("Broke on day two, terrible lol") < Score("Broke on day two, terrible"));
        Assert.True(Score("Broken on arrival lmaooo") < Score("Broken on arrival"));
        Assert.True(Score("Useless app 😂😂") < Score("Useless app"));
    }

    [Fact]
    public void Laughter_is_still_mirth_in_praise_and_alone()
    {
        Assert.True(Score("love it lol") > Score("love it"));
        Assert.Equal(SentimentLabel.Positive, Label("lol"));
        Assert.Equal(SentimentLabel.Positive, Label("The kids are obsessed with the new cartoon lol"));
    }

    [Theory]
    [InlineData("Nobody answered my complaint")]
    [InlineData("They didn't fix my problem")]
    [InlineData("Nobody solved our issue and nobody answered our complaints")]
    public void A_complaint_that_is_the_object_of_a_negated_verb_stays_a_complaint(string text) =>
        Assert.Equal(SentimentLabel.Negative, Label(text));

    [Fact]
    public void A_negated_complaint_word_without_a_verb_between_still_flips()
    {
        Assert.Equal(SentimentLabel.Positive, Label("no problems at all"));
        Assert.Equal(SentimentLabel.Positive, Label("never had a problem"));
    }

    [Theory]
    [InlineData("Stress free checkout")]
    [InlineData("Cruelty free and vegan")]
    [InlineData("Cruelty-free and vegan")]
    public void Free_of_something_bad_is_good(string text) => Assert.Equal(SentimentLabel.Positive, Label(text));

    [Theory]
    [InlineData("The tutorial is too long")]
    [InlineData("A bit pricey for what it is")]
    [InlineData("The steak was slightly overdone")]
    [InlineData("Queues are a tad slow at lunch")]
    public void Too_much_or_a_bit_of_a_plain_quality_is_a_mild_complaint(string text) =>
        Assert.Equal(SentimentLabel.Negative, Label(text));

    [Fact]
    public void Too_meaning_also_is_not_a_complaint()
    {
        Assert.Equal(SentimentLabel.Neutral, Label("Me too"));
        Assert.Equal(SentimentLabel.Neutral, Label("I ordered the soup too"));
        Assert.True(Score("too good") > 0);
    }

    [Theory]
    [InlineData("Online chat could be quicker")]
    [InlineData("The rooms should have been cleaner")]
    public void A_wish_that_it_were_better_is_a_mild_complaint(string text) =>
        Assert.Equal(SentimentLabel.Negative, Label(text));

    [Fact]
    public void Could_be_worse_is_not_a_complaint() => Assert.True(Score("It could be worse") > 0);

    [Fact]
    public void Review_words_missing_from_vader_carry_sentiment()
    {
        Assert.Equal(SentimentLabel.Negative, Label("The hold music is unbearable"));
        Assert.Equal(SentimentLabel.Negative, Label("Speed is nowhere near what you advertised"));
        Assert.Equal(SentimentLabel.Positive, Label("Legendary service as always"));
        Assert.Equal(SentimentLabel.Negative, Label("The pasta was bland"));
    }

    [Theory]
    [InlineData("Great, another delay 🙄")]
    [InlineData("Love waiting in a queue for an hour 😒")]
    public void An_eye_roll_turns_praise_into_irony(string text) => Assert.Equal(SentimentLabel.Negative, Label(text));

    [Fact]
    public void A_lone_word_of_praise_after_a_complaint_is_irony()
    {
        Assert.Equal(SentimentLabel.Negative, Label("Your app doesn't support my phone anymore, great"));
        Assert.Equal(SentimentLabel.Positive, Label("Sorry for the late reply, thanks"));
        Assert.Equal(SentimentLabel.Positive, Label("Took a while to arrive, love it"));
    }

    [Fact]
    public void A_one_word_sentence_of_exasperation_after_a_report_is_a_complaint()
    {
        Assert.True(Score("They sent the wrong size. Twice.") < Score("They sent the wrong size."));
        Assert.True(Score("The engineer didn't come. Again.") < 0);
        Assert.True(Score("Best pizza in town. Again!") > 0);
    }

    [Theory]
    [InlineData("The search doesn't find anything")]
    [InlineData("Nobody at the desk knew what was going on")]
    [InlineData("Refund still not processed after 3 weeks")]
    public void A_stated_negated_action_with_no_sentiment_word_is_a_mild_complaint(string text) =>
        Assert.Equal(SentimentLabel.Negative, SentimentAnalyzer.Default.Analyze(text).Label);

    [Theory]
    [InlineData("Do you not ship to Canada?")]
    [InlineData("I can't stop listening to this album")]
    public void A_negated_question_or_keeping_on_is_not_a_complaint(string text) => Assert.Equal(0, Score(text));

    [Fact]
    public void Issues_are_problems()
    {
        Assert.True(Score("Having issues with my order") < 0);
        Assert.True(Score("No issues whatsoever") > 0);
    }
}
