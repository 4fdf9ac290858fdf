using SocialCrm.Abstractions.Automation;

namespace SocialCrm.Grains.Automation;

/// <summary>
/// Whether an instant falls in the brand's opening hours, read on the wall clock of its time zone,
/// so "09:00" stays nine in the morning on either side of a daylight-saving change. A day that is
/// not listed is closed; opening is inclusive, closing exclusive.
/// </summary>
public static class BusinessHours
{
    public static bool IsInside(AutomationSettings settings, DateTimeOffset at)
    {
        var local = LocalTime(settings, at);
        var day = RuleValues.Days[((int)local.DayOfWeek + 6) % 7];
        var minute = local.Hour * 60 + local.Minute;
        foreach (var hours in settings.BusinessHours ?? [])
        {
            if (hours?.Day != day) continue;
            return ClockTime.TryParse(hours.Opens, allowEndOfDay: false, out var opens)
                && ClockTime.TryParse(hours.Closes, allowEndOfDay: true, out var closes)
                && minute >= opens && minute < closes;
        }
        return false;
    }

    /// <summary>The instant on the brand's wall clock.</summary>
    public static DateTimeOffset LocalTime(AutomationSettings settings, DateTimeOffset at)
    {
        // Settings are validated when saved; a zone the system has since lost is read as UTC rather than failing every rule.
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone ?? "", out var found) ? found : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(at, zone);
    }
}
