using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartAccountPortal.Data.Migrations.SqlServer
{
    public partial class ListIndexes : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_ExpiresAt",
                table: "AccountRequests",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_SubmittedAt",
                table: "AccountRequests",
                column: "SubmittedAt");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_ExpiresAt",
                table: "AccountRequests");

            migrationBuilder.DropIndex(
                name: "IX_AccountRequests_SubmittedAt",
                table: "AccountRequests");
        }
    }
}
