using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartAccountPortal.Data.Migrations.SqlServer
{
    public partial class LinkIssuedAt : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LinkIssuedAt",
                table: "AccountRequests",
                type: "datetime2",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Existing requests had their link issued when they were submitted.
            migrationBuilder.Sql("UPDATE [AccountRequests] SET [LinkIssuedAt] = [SubmittedAt];");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LinkIssuedAt",
                table: "AccountRequests");
        }
    }
}
