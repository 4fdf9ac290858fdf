using SocialCrm.Abstractions.Automation;
using SocialCrm.Grains.Automation;

namespace SocialCrm.Grains.Tests.Automation;

/// <summary>Opening hours read on the brand's own wall clock, through daylight-saving changes.</summary>
public sealed class BusinessHoursTests
{
    private static readonly AutomationSettings Paris = AutomationSettings.Default with { TimeZone = "Europe/Paris" };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Nine_in_paris_is_eight_utc_in_winter_and_seven_utc_in_summer()
    {
        // Clocks go forward on Sunday 29 March 2026: Friday the 27th is UTC+1, Monday the 30th UTC+2.
        Assert.False(BusinessHours.IsInside(Paris, Utc(3, 27, 7, 30)));   // 08:30 in Paris
        Assert.True(BusinessHours.IsInside(Paris, Utc(3, 27, 8, 0)));     // 09:00
        Assert.True(BusinessHours.IsInside(Paris, Utc(3, 30, 7, 30)));    // 09:30
        Assert.False(BusinessHours.IsInside(Paris, Utc(3, 30, 15, 0)));   // 17:00, closed
        Assert.True(BusinessHours.IsInside(Paris, Utc(3, 27, 15, 59)));   // 16:59
        Assert.False(BusinessHours.IsInside(Paris, Utc(3, 27, 16, 0)));   // 17:00
    }

    [Fact]
    public void The_hour_that_repeats_when_clocks_go_back_is_read_on_the_wall_clock()
    {
        // Sunday 25 October 2026, 02:00–03:00 in Paris happens twice: at 00:30 UTC and at 01:30 UTC.
        var sundayNight = Paris with { BusinessHours = [new BusinessHoursDay("sunday", "02:00", "03:00")] };

        Assert.True(BusinessHours.IsInside(sundayNight, Utc(10, 25, 0, 30)));
        Assert.True(BusinessHours.IsInside(sundayNight, Utc(10, 25, 1, 30)));
        Assert.False(BusinessHours.IsInside(sundayNight, Utc(10, 25, 2, 0)));   // 03:00 in winter time
        Assert.False(BusinessHours.IsInside(sundayNight, Utc(10, 24, 23, 59))); // 01:59 in summer time
    }

    [Fact]
    public void A_day_that_closes_at_24_00_is_open_until_its_last_minute()
    {
        var weekend = AutomationSettings.Default with { BusinessHours = [new BusinessHoursDay("saturday", "00:00", "24:00")] };

        Assert.True(BusinessHours.IsInside(weekend, Utc(3, 7, 0, 0)));
        Assert.True(BusinessHours.IsInside(weekend, new DateTimeOffset(2026, 3, 7, 23, 59, 59, TimeSpan.Zero)));
        Assert.False(BusinessHours.IsInside(weekend, Utc(3, 8, 0, 0)));
        Assert.False(BusinessHours.IsInside(weekend, new DateTimeOffset(2026, 3, 6, 23, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void A_day_not_listed_is_closed() =>
        Assert.False(BusinessHours.IsInside(AutomationSettings.Default, Utc(3, 8, 12)));

    [Fact]
    public void The_instant_is_read_in_the_brand_zone_not_the_offset_it_arrived_with()
    {
        // 08:30 in New York on a Monday is 14:30 in Paris.
        var newYorkMorning = new DateTimeOffset(2026, 3, 2, 8, 30, 0, TimeSpan.FromHours(-5));

        Assert.True(BusinessHours.IsInside(Paris, newYorkMorning));
        Assert.False(BusinessHours.IsInside(Paris with { TimeZone = "America/New_York" }, newYorkMorning));
    }
}
