using SocialCrm.Abstractions.Insights;
using SocialCrm.Grains.Insights;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>The spike rule without a cluster: one alert per episode, hysteresis, cool-down, volume needs history.</summary>
public sealed class SpikeDetectorTests
{
    private const long Minute = 60_000;
    private static readonly AlertSettings Settings = new(MinMessages: 10, WindowMinutes: 5, CooldownMinutes: 30);

    private static ChannelTally Tally(long atMs, int messages, int negative, string channel = "ch") =>
        new(channel, atMs, messages, negative, Enumerable.Range(0, negative).Select(i => $"msg_n{atMs}_{i}").ToArray(),
            Enumerable.Range(0, messages).Select(i => $"msg_{atMs}_{i}").ToArray());

    private static Baseline Calm => new(Messages: 1000, Negative: 100, SpanMs: 24 * 60 * Minute);

    [Fact]
    public void A_burst_of_negative_messages_raises_one_negative_share_alert_with_samples()
    {
        var detector = new SpikeDetector(Settings);
        detector.Add(Tally(0, 12, 9));
        var raise = Assert.IsType<SpikeDecision.Raise>(Assert.Single(detector.Evaluate(1000, _ => Calm)));
        Assert.Equal(AlertKinds.NegativeShare, raise.Kind);
        Assert.Equal(0.75, raise.NegativeShare);
        Assert.Equal(0.1, raise.BaselineShare);
        Assert.Equal(5, raise.SampleIds.Count);
        detector.Raised("alert_1", raise.Kind, raise.ChannelId, 1000);

        // The episode goes on: nothing new however angry it gets.
        detector.Add(Tally(2000, 20, 20));
        Assert.Empty(detector.Evaluate(3000, _ => Calm));
    }

    [Fact]
    public void Too_few_messages_or_a_share_near_the_usual_level_raise_nothing()
    {
        var few = new SpikeDetector(Settings);
        few.Add(Tally(0, 9, 9));
        Assert.Empty(few.Evaluate(1000, _ => Calm));

        // A channel whose usual level is 30% negative: 40% is not a spike (the line is twice the usual share).
        var grumpy = new SpikeDetector(Settings);
        grumpy.Add(Tally(0, 15, 6));
        Assert.Empty(grumpy.Evaluate(1000, _ => new Baseline(1000, 300, 24 * 60 * Minute)));
    }

    [Fact]
    public void An_episode_resolves_when_the_window_calms_and_a_new_one_waits_for_the_cool_down()
    {
        var detector = new SpikeDetector(Settings);
        detector.Add(Tally(0, 12, 12));
        var raise = (SpikeDecision.Raise)detector.Evaluate(0, _ => Calm).Single();
        detector.Raised("alert_1", raise.Kind, raise.ChannelId, 0);

        // Five minutes later the burst is out of the window.
        var resolve = Assert.IsType<SpikeDecision.Resolve>(Assert.Single(detector.Evaluate(6 * Minute, _ => Calm)));
        Assert.Equal("alert_1", resolve.AlertId);
        detector.Resolved(resolve.Kind, resolve.ChannelId);

        detector.Add(Tally(7 * Minute, 12, 12));
        Assert.Empty(detector.Evaluate(7 * Minute, _ => Calm));
        detector.Add(Tally(31 * Minute, 12, 12));
        Assert.IsType<SpikeDecision.Raise>(Assert.Single(detector.Evaluate(31 * Minute, _ => Calm)));
    }

    [Fact]
    public void Volume_alone_spikes_only_with_enough_history()
    {
        var settings = Settings with { MinNegativeShare = 1 };
        var detector = new SpikeDetector(settings);
        detector.Add(Tally(0, 200, 0));
        // 1,000 messages a day is about 3.5 per window: 200 is far beyond five times that.
        var raise = Assert.IsType<SpikeDecision.Raise>(Assert.Single(detector.Evaluate(0, _ => Calm)));
        Assert.Equal(AlertKinds.Volume, raise.Kind);

        var newChannel = new SpikeDetector(settings);
        newChannel.Add(Tally(0, 200, 0));
        Assert.Empty(newChannel.Evaluate(0, _ => Baseline.None));
    }

    [Fact]
    public void Channels_are_judged_apart_and_a_restart_remembers_the_open_episode()
    {
        var detector = new SpikeDetector(Settings);
        detector.Remember("alert_old", AlertKinds.NegativeShare, "a", open: true, detectedAtMs: 0);
        detector.Add(Tally(Minute, 12, 12, "a"));
        detector.Add(Tally(Minute, 12, 12, "b"));
        var raise = Assert.IsType<SpikeDecision.Raise>(Assert.Single(detector.Evaluate(Minute, _ => Calm)));
        Assert.Equal("b", raise.ChannelId);
    }

    [Fact]
    public void Switching_alerts_off_resolves_what_is_open()
    {
        var detector = new SpikeDetector(Settings);
        detector.Remember("alert_1", AlertKinds.NegativeShare, "a", open: true, detectedAtMs: 0);
        detector.Configure(Settings with { Enabled = false });
        detector.Add(Tally(0, 50, 50, "a"));
        Assert.Equal("alert_1", Assert.IsType<SpikeDecision.Resolve>(Assert.Single(detector.Evaluate(0, _ => Calm))).AlertId);
    }
}
