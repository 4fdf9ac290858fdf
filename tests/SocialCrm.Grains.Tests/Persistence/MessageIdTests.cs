using SocialCrm.Abstractions;

namespace SocialCrm.Grains.Tests.Persistence;

/// <summary>
/// Message ids sort by the time they were made, so the id index grows at its end; they stay ids of
/// the contract's shape and stay unguessable within a millisecond.
/// </summary>
public sealed class MessageIdTests
{
    [Fact]
    public void Ids_made_later_sort_after_earlier_ones_byte_for_byte()
    {
        var start = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        // Steps from one millisecond to years, so every byte of the time is exercised.
        var times = new[] { 0L, 1, 2, 255, 256, 65_535, 65_536, 86_400_000, 31_536_000_000 }.Select(ms => start.AddMilliseconds(ms)).ToList();
        var ids = times.Select(t => Ids.NewTimeOrdered("msg", t)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.True(Ids.IsValid(id), id));
        Assert.All(ids, id => Assert.Equal(Ids.New("msg").Length, id.Length));
    }

    [Fact]
    public void The_bound_of_a_millisecond_lies_between_the_ids_made_before_it_and_those_made_from_it_on()
    {
        var cutoff = new DateTimeOffset(2026, 10, 26, 8, 30, 0, 123, TimeSpan.Zero);
        var bound = Ids.TimeOrderedBound(Ids.MessagePrefix, cutoff.ToUnixTimeMilliseconds());
        foreach (var offset in new[] { -31_536_000_000L, -86_400_000, -256, -1 })
        {
            for (var i = 0; i < 200; i++)
                Assert.True(string.CompareOrdinal(Ids.NewTimeOrdered(Ids.MessagePrefix, cutoff.AddMilliseconds(offset)), bound) < 0, $"{offset} ms");
        }
        foreach (var offset in new[] { 0L, 1, 256, 86_400_000 })
        {
            for (var i = 0; i < 200; i++)
                Assert.True(string.CompareOrdinal(Ids.NewTimeOrdered(Ids.MessagePrefix, cutoff.AddMilliseconds(offset)), bound) >= 0, $"{offset} ms");
        }
    }

    [Fact]
    public void Ids_made_in_the_same_millisecond_differ()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.NewTimeOrdered("msg", now)).ToHashSet();
        Assert.Equal(10_000, ids.Count);
    }
}
