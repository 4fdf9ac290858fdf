using SocialCrm.Insights.Terms;

namespace SocialCrm.Insights.Tests.Terms;

public sealed class UnusualUseTests
{
    private readonly StandInSentiment _sentiment = new();

    private TermFindings Find(string text) => TermFinder.Find(text, _sentiment.Score);

    [Theory]
    [InlineData("I use it as a doorstop lol", "doorstop")]
    [InlineData("We used them as coasters", "coaster")]
    [InlineData("been using the old box as my cat bed", "cat bed")]
    [InlineData("This blender doubles as a paint mixer", "paint mixer")]
    [InlineData("the lid works as a phone stand", "phone stand")]
    [InlineData("I use this instead of a kettle", "kettle")]
    [InlineData("Works great for my bike chain", "bike chain")]
    [InlineData("It also works for sanding furniture", null)]
    [InlineData("Also perfect for camping trips", "camping trip")]
    [InlineData("Ended up as a makeshift tripod", "tripod")]
    [InlineData("I repurposed the crate as a bookshelf", "bookshelf")]
    [InlineData("I turned it into a planter", "planter")]
    [InlineData("Makes a great doorstop", "doorstop")]
    public void Each_pattern_names_what_else_the_product_is_used_for(string text, string? use)
    {
        var found = Find(text);

        Assert.Equal(use is null ? [] : [use], found.UnusualUses);
    }

    [Theory]
    [InlineData("I use the app to order instead of waiting in line")]
    [InlineData("Instead of waiting I called")]
    [InlineData("I use it instead of scrubbing the pan by hand")]
    [InlineData("They sent me the blue one instead of the black case")]
    [InlineData("Works great for me")]
    [InlineData("Works great for the price")]
    [InlineData("Works great for my kids")]
    [InlineData("Used as directed")]
    [InlineData("Use it as much as you can")]
    [InlineData("Makes a great gift")]
    [InlineData("It turned into a nightmare")]
    [InlineData("Great for running")]
    public void Ordinary_phrasing_is_not_an_unusual_use(string text)
    {
        Assert.Empty(Find(text).UnusualUses);
    }

    [Fact]
    public void A_use_is_not_also_counted_as_a_praised_term()
    {
        var found = Find("Love it, I use it as a doorstop");

        Assert.Equal(["doorstop"], found.UnusualUses);
        Assert.DoesNotContain("doorstop", found.Advantages);
    }

    [Fact]
    public void The_product_described_alongside_a_use_keeps_its_praise()
    {
        var found = Find("Great blender, it doubles as a paint mixer");

        Assert.Equal(["blender"], found.Advantages);
        Assert.Equal(["paint mixer"], found.UnusualUses);
    }

    [Fact]
    public void A_message_gives_at_most_three_uses()
    {
        var found = Find("I use it as a doorstop. I use it as a hammer. I use it as a paperweight. I use it as a coaster.");

        Assert.Equal(["doorstop", "hammer", "paperweight"], found.UnusualUses);
    }
}
