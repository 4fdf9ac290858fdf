using System.Net;
using System.Net.Sockets;

namespace SocialCrm.Testing;

/// <summary>
/// Loopback ports for the nodes the tests start (HTTP, silo, gateway): never Orleans' defaults
/// (11111, 30000), which a service running on the same machine holds. The system picks a free port;
/// a port is handed out once per test run, so two nodes of one run never get the same one even after
/// the first has let it go.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port)) return port;
            }
        }
    }
}
