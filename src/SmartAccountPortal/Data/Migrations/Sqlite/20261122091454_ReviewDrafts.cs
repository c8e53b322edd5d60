using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartAccountPortal.Data.Migrations.Sqlite
{
    public partial class ReviewDrafts : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RequestDrafts",
                columns: table => new
                {
                    SubmissionKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    PartnerUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Values = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RequestDrafts", x => x.SubmissionKey);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RequestDrafts_CreatedAt",
                table: "RequestDrafts",
                column: "CreatedAt");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RequestDrafts");
        }
    }
}
