using System.Diagnostics;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// A real 2 MB file system (tmpfs) for a test database, so a "disk full" is the operating
/// system's own ENOSPC, met wherever SQLite meets it (a commit's write-ahead log included).
/// Mounting needs root; <see cref="TryMount"/> returns null where it is not allowed.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    public static SmallDisk? TryMount()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "smart-account-portal-small-disk", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", path) ? new SmallDisk(path) : null;
    }

    /// <summary>Leaves <paramref name="free"/> bytes free, less than a submitted request needs.</summary>
    public void Fill(long free = 16 * 1024)
    {
        var available = new DriveInfo(Path).AvailableFreeSpace;
        using var file = File.Create(Filler);
        file.Write(new byte[Math.Max(0, available - free)]);
    }

    public void Empty() => File.Delete(Filler);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Run("umount", "--lazy", Path);
    }

    private static bool Run(string command, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit(10_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
