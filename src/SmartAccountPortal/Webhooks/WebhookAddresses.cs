using System.Net;
using System.Net.Sockets;

namespace SmartAccountPortal.Webhooks;

/// <summary>The address refused: an endpoint may not reach the portal's own network.</summary>
public sealed class ForbiddenAddressException(string host, IPAddress address)
    : Exception($"{host} resolves to {address}, a loopback, private, link-local or metadata address; webhooks are not sent there.");

/// <summary>
/// Where webhooks may go: HTTPS, and never to loopback, private, link-local (the cloud metadata
/// service at 169.254.169.254 among them), shared, multicast or reserved addresses. Checked when
/// an endpoint is saved (for the address as written) and again at every connection, on the
/// addresses the name resolves to then, which are the ones connected to: a name that resolved
/// elsewhere when saved, or that changes between look-ups, gains nothing.
/// </summary>
public static class WebhookAddresses
{
    private static readonly IPNetwork[] Forbidden =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"),
        IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>Whether a delivery may not connect to <paramref name="address"/>.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return Forbidden.Any(network => network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address));
    }

    /// <summary>Why <paramref name="url"/> cannot be an endpoint, as a text key, or null when it can (as far as can be told without a look-up).</summary>
    public static string? Problem(string url, bool allowPrivate)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
        {
            return "Webhooks.Url.NotHttps";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "Webhooks.Url.Invalid";
        }

        if (allowPrivate)
        {
            return null;
        }

        var host = uri.IdnHost;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var literal) && IsForbidden(literal)))
        {
            return "Webhooks.Url.Private";
        }

        return null;
    }

    /// <summary>
    /// Connects as <see cref="SocketsHttpHandler.ConnectCallback"/> does: resolves the name, refuses
    /// when any address it has is forbidden, and connects to the addresses it checked.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (!allowPrivate && addresses.FirstOrDefault(IsForbidden) is { } forbidden)
        {
            throw new ForbiddenAddressException(endpoint.Host, forbidden);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
