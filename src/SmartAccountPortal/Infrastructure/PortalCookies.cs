namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// The portal's cookie names. Outside Development every cookie is Secure and <c>__Host-</c>
/// prefixed: bound to this exact host, never sent over plain HTTP.
/// </summary>
public static class PortalCookies
{
    public static string Name(IHostEnvironment environment, string name) =>
        (environment.IsDevelopment() ? "" : "__Host-") + name;
}
