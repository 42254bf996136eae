using System.CommandLine;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer data ...`: dataset statistics and the synthetic dataset.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var data = new Command("data", "Inspect datasets (Aff-Wild2, AffectNet, RAF-DB) and generate the synthetic one.");
        data.Subcommands.Add(DataStatsCommand.Create());
        data.Subcommands.Add(DataSynthCommand.Create());
        return data;
    }
}
