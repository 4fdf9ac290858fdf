namespace SocialCrm.Insights.Tests;

/// <summary>General English constructions beyond VADER's rules, each moving a score the way a reader would.</summary>
public sealed class LinguisticRulesTests
{
    private static double Score(string text) => SentimentAnalyzer.Default.Analyze(text).Score;

    [Theory]
    [InlineData("Far from perfect")]
    [InlineData("Anything but good")]
    [InlineData("Less than ideal")]
    public void A_negating_phrase_turns_praise_into_a_complaint(string text) => Assert.True(Score(text) < 0, text);

    [Fact]
    public void A_negating_phrase_turns_a_complaint_around() => Assert.True(Score("Far from bad") > 0);

    [Fact]
    public void Disbelief_does_not_negate()
    {
        Assert.True(Score("I can't believe how good this is") > 0);
        Assert.True(Score("I can't believe how bad this is") < 0);
    }

    [Theory]
    [InlineData("I won't be ordering from here again")]
    [InlineData("I will never shop here again")]
    [InlineData("Not going back there again")]
    public void A_customer_who_will_not_come_again_complains(string text) => Assert.True(Score(text) < 0, text);

    [Fact]
    public void Never_again_with_a_complaint_between_is_a_negated_complaint() =>
        Assert.True(Score("It never crashed again after the update") > 0);

    [Theory]
    [InlineData("The movie lacks charm")]
    [InlineData("It lost its charm")]
    [InlineData("Lost all hope after the update")]
    [InlineData("The flavour is lacking")]
    public void Lacking_or_losing_a_good_thing_is_a_complaint(string text) => Assert.True(Score(text) < 0, text);

    [Fact]
    public void Getting_lost_in_something_good_is_not_lacking_it() => Assert.True(Score("I got lost in this wonderful book") > 0);

    [Fact]
    public void A_conceded_clause_weighs_less_than_the_main_one()
    {
        Assert.True(Score("Although the service was rude, the food was great") > 0);
        Assert.True(Score("The food is great, although the service was rude") > 0);
        Assert.True(Score("The service was rude, though the food was great") < 0);
        Assert.True(Score("Even though it was expensive, I love it") > Score("It was expensive, I love it"));
    }

    [Fact]
    public void Though_at_the_end_of_a_sentence_contrasts_it_with_the_one_before()
    {
        Assert.True(Score("The food was great. The service was rude though.") < 0);
        Assert.True(Score("The food was great. The service was rude though.") < Score("The food was great. The service was rude."));
    }

    [Fact]
    public void Yet_opening_a_clause_is_but()
    {
        Assert.True(Score("Good food, yet terrible service") < 0);
        Assert.True(Score("The plot is thin and yet the acting is superb") > Score("The plot is thin and the acting is superb") - 0.2);
        Assert.True(Score("Yet another delay") < 0);
    }

    [Theory]
    [InlineData("Could have been a great film")]
    [InlineData("I would have loved it if it were cheaper")]
    [InlineData("Would have been nice to get a reply")]
    public void Praise_in_a_counterfactual_past_is_a_complaint(string text) => Assert.True(Score(text) < 0, text);

    [Fact]
    public void A_counterfactual_leaves_complaints_and_possession_alone()
    {
        Assert.True(Score("I would have given it zero stars") < 0);
        Assert.True(Score("You should have a great time") > 0);
    }

    [Theory]
    [InlineData("I wish it had more features")]
    [InlineData("I wish there was a better option")]
    [InlineData("I wish you would answer my emails")]
    public void Wishing_a_thing_were_otherwise_is_a_mild_complaint(string text) => Assert.True(Score(text) < 0, text);

    [Theory]
    [InlineData("I wish you a happy new year")]
    [InlineData("Wish me luck")]
    [InlineData("I wish I had found this sooner")]
    public void Wishing_someone_well_is_still_positive(string text) => Assert.True(Score(text) > 0, text);

    [Theory]
    [InlineData("Good but not great")]
    [InlineData("Good, not great")]
    public void Praise_then_a_negated_stronger_praise_says_how_good(string text) => Assert.True(Score(text) > 0, text);

    [Fact]
    public void A_negated_praise_about_another_subject_stands() =>
        Assert.True(Score("Good food but the service was not great") < 0);

    [Theory]
    [InlineData("A decent phone", 1)]
    [InlineData("A gripping, must-see film", 1)]
    [InlineData("Mediocre and overrated", -1)]
    [InlineData("Predictable, tedious and forgettable", -1)]
    public void Review_verdicts_VADER_lacks_are_read(string text, int sign) => Assert.Equal(sign, Math.Sign(Score(text)));

    [Theory]
    [InlineData("love you guys \u2665", 1)]
    [InlineData("\U0001F63B", 1)]
    [InlineData("late again \U0001F926\u200D\u2640\uFE0F", -1)]
    public void Hearts_and_facepalms_are_read(string text, int sign) => Assert.Equal(sign, Math.Sign(Score(text)));

    [Theory]
    [InlineData("Never been better", 1)]
    [InlineData("There is nothing better than a cold beer", 1)]
    [InlineData("No better way to start the day", 1)]
    [InlineData("It doesn't get better than this", 1)]
    [InlineData("Nothing worse than a soggy pizza", -1)]
    [InlineData("I have never seen a worse movie", -1)]
    public void A_comparative_after_never_or_nothing_is_a_superlative(string text, int sign) =>
        Assert.Equal(sign, Math.Sign(Score(text)));

    [Theory]
    [InlineData("Not better than the last one")]
    [InlineData("No better than the last one")]
    [InlineData("It didn't get any better")]
    public void Not_better_still_negates(string text) => Assert.True(Score(text) < 0, text);

    [Fact]
    public void No_danger_is_not_a_comparative() => Assert.True(Score("no danger") > 0);

    [Fact]
    public void A_lone_word_of_praise_before_a_complaint_is_irony()
    {
        Assert.True(Score("Oh great, it broke again") < Score("It broke again"));
        Assert.True(Score("Great, another delay") < 0);
    }

    [Theory]
    [InlineData("Great, thanks!")]
    [InlineData("Perfect, it arrived early")]
    public void A_lone_word_of_praise_before_more_praise_is_sincere(string text) => Assert.True(Score(text) > 0, text);

    [Theory]
    [InlineData("It does the job", 1)]
    [InlineData("Does exactly what it says", 1)]
    [InlineData("It grew on me", 1)]
    [InlineData("Long-lasting battery", 1)]
    [InlineData("It doesn't do the job", -1)]
    public void Plain_approval_idioms_of_reviews_are_read(string text, int sign) => Assert.Equal(sign, Math.Sign(Score(text)));

    [Theory]
    [InlineData("It was supposed to be waterproof and great")]
    [InlineData("The only good thing was the price")]
    [InlineData("So much for great service")]
    [InlineData("Love how it keeps crashing")]
    [InlineData("I love it when the app logs me out and crashes")]
    public void Praise_that_did_not_hold_is_a_complaint(string text) => Assert.True(Score(text) < 0, text);

    [Theory]
    [InlineData("Thank you so much for the great service")]
    [InlineData("I love how easy it is")]
    [InlineData("Love how it never breaks")]
    [InlineData("I love watching scary movies")]
    public void Sincere_praise_in_the_same_words_stays_praise(string text) => Assert.True(Score(text) > 0, text);

    [Fact]
    public void Cannot_stop_is_keeping_on_not_a_negation()
    {
        Assert.True(Score("I can't stop smiling") > 0);
        Assert.True(Score("I can't stop crying") < 0);
    }

    [Theory]
    [InlineData("Used to love this place")]
    [InlineData("This used to be good")]
    [InlineData("It used to work fine")]
    public void Praise_of_a_past_that_no_longer_holds_is_a_complaint(string text) => Assert.True(Score(text) < 0, text);

    [Fact]
    public void Being_used_to_something_good_is_praise() => Assert.True(Score("I'm used to great service here") > 0);

    [Theory]
    [InlineData("I hoped for better")]
    [InlineData("I was hoping it would be great")]
    [InlineData("I expected it to be good")]
    public void A_past_hope_for_praise_was_not_met(string text) => Assert.True(Score(text) < 0, text);

    [Theory]
    [InlineData("I hope you have a great day")]
    [InlineData("Better than expected")]
    [InlineData("It arrived earlier than expected, great")]
    public void Hopes_now_and_expectations_beaten_stay_praise(string text) => Assert.True(Score(text) > 0, text);

    [Theory]
    [InlineData("Thanks a lot for nothing")]
    [InlineData("Thank you for nothing")]
    public void Thanks_for_nothing_in_its_other_wordings_is_sarcasm(string text) => Assert.True(Score(text) < 0, text);
}
