using Microsoft.Extensions.Logging;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Grains.Security;

/// <summary>
/// Database drivers' exceptions cannot cross the wire (no codec), and their messages may quote data.
/// A grain call that fails in the database is logged here (its type and SQL state, never its message)
/// and answered with a plain, serializable error: <see cref="StorageUnavailableException"/> when a
/// retry may succeed, <see cref="StorageFailedException"/> when it would fail the same way.
/// </summary>
public sealed class StorageErrorFilter(ILogger<StorageErrorFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception error) when (Dialects.DatabaseErrorIn(error) is { } ex)
        {
            var transient = Dialects.IsTransient(ex);
            logger.LogError("{Method} failed in the database: {Error} (SQL state {State}, transient: {Transient})",
                context.ImplementationMethod.Name, ex.GetType().Name, ex.SqlState, transient);
            var message = $"The database could not complete {context.ImplementationMethod.Name} ({ex.SqlState ?? ex.GetType().Name}).";
            if (transient) throw new StorageUnavailableException(message);
            throw new StorageFailedException(message);
        }
    }
}

/// <summary>The database could not be reached for a grain's work; the caller may retry.</summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }
}

/// <summary>The database refused a grain's work in a way a retry would not change (the log has its SQL state).</summary>
[GenerateSerializer]
public sealed class StorageFailedException : Exception
{
    public StorageFailedException()
    {
    }

    public StorageFailedException(string message) : base(message)
    {
    }
}
