using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartAccountPortal.Data.Migrations.SqlServer
{
    /// <summary>
    /// The kept counts as an indexed view: SQL Server maintains it in the same transaction as
    /// every change to AccountRequests. (The search needs nothing here: see SqlServerPortalDbContext.)
    /// </summary>
    public partial class SearchAndCounts : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_OrganisationId_SubmittedAt",
                table: "AccountRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_SubmittedAt",
                table: "AccountRequests");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_OrganisationId_Id",
                table: "AccountRequests",
                columns: new[] { "OrganisationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_OrganisationId_Status_Id",
                table: "AccountRequests",
                columns: new[] { "OrganisationId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_Status_Id",
                table: "AccountRequests",
                columns: new[] { "Status", "Id" });

            // Through EXEC: CREATE VIEW must begin its own batch, and the idempotent script puts
            // every statement inside an IF block.
            migrationBuilder.Sql(@"EXEC(N'CREATE VIEW dbo.RequestCounts WITH SCHEMABINDING AS
SELECT OrganisationId, Status, COUNT_BIG(*) AS [Count]
FROM dbo.AccountRequests
GROUP BY OrganisationId, Status');");
            migrationBuilder.Sql("CREATE UNIQUE CLUSTERED INDEX IX_RequestCounts ON dbo.RequestCounts (OrganisationId, Status);");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW dbo.RequestCounts;");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_OrganisationId_Id",
                table: "AccountRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_OrganisationId_Status_Id",
                table: "AccountRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_Status_Id",
                table: "AccountRequests");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_OrganisationId_SubmittedAt",
                table: "AccountRequests",
                columns: new[] { "OrganisationId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_SubmittedAt",
                table: "AccountRequests",
                column: "SubmittedAt");
        }
    }
}
