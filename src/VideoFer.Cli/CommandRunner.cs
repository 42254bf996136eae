using System.CommandLine;
using Spectre.Console;

namespace VideoFer.Cli;

/// <summary>Runs the parsed command and turns failures into one clear line and an exit code.</summary>
public static class CommandRunner
{
    public const int ExitOk = 0;
    public const int ExitUserError = 1;   // bad input: a file, a flag, a dataset
    public const int ExitUsage = 2;       // the command line itself did not parse
    public const int ExitInternal = 3;    // a bug: please report it with --verbose output
    public const int ExitSomeFailed = 4;  // a corpus command finished, but some of its inputs failed (each named)

    public static int Run(RootCommand root, string[] args)
    {
        // No response files: `@list.txt` is predict's and prepare's list of inputs (MediaInputs), which the
        // parser would otherwise expand into arguments itself, losing the list's line numbers and folder.
        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        bool verbose = parsed.GetValue(GlobalOptions.Verbose);
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(); // a bare `videofer` is a question, answered with the overview
            return ExitUsage;
        }
        if (parsed.Errors.Count > 0)
        {
            // One line per problem and a pointer to the help, not the whole help text.
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"videofer: error: {error.Message}");
            Console.Error.WriteLine($"Run '{CommandPath(parsed.CommandResult)} --help' for usage.");
            return ExitUsage;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is VideoFerException user)
        {
            WriteError(user.Message, verbose ? user : null);
            return ExitUserError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("videofer: cancelled.");
            return 130;
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            WriteError($"internal error: {inner.GetType().Name}: {inner.Message}" +
                       (verbose ? "" : " (run with --verbose for details)"), verbose ? inner : null);
            return ExitInternal;
        }
    }

    static string CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r != null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Parent == null ? "videofer" : r.Command.Name);
        return string.Join(' ', names);
    }

    static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException != null
            ? Unwrap(e.InnerException!) : e;

    static void WriteError(string message, Exception? detail)
    {
        Console.Error.WriteLine($"videofer: error: {message}");
        if (detail != null)
            Console.Error.WriteLine(detail.ToString());
    }
}
