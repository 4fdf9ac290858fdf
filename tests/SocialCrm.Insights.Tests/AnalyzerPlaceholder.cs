namespace SocialCrm.Insights.Tests;
