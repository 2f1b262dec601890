using System.Runtime.InteropServices;

namespace Lpp.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM stop a command cleanly: staged outputs and report staging folders are deleted (the
/// old files stay as they were), one line "lpp: interrupted" is printed and the process exits with code 130.
/// </summary>
internal static class Interruption
{
    private static readonly List<PosixSignalRegistration> Registrations = [];

    /// <summary>Handles SIGINT and SIGTERM from now on.</summary>
    public static void Install()
    {
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;

        // Exit from a thread of our own: the signal handler returns at once and holds no runtime lock while the process ends.
        new Thread(() =>
        {
            StagedOutputs.DiscardAll(final: true);
            if (!Console.IsErrorRedirected)
            {
                Console.Error.WriteLine();
            }

            Console.Error.WriteLine("lpp: interrupted");
            Environment.Exit(ExitCodes.Interrupted);
        }) { IsBackground = true }.Start();
    }
}
