using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lbaas.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class BackendVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "backends",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "xmin",
                table: "backends");
        }
    }
}
