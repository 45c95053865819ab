-- MySQL dump of the demo newsroom's wpDiscuz subscriptions (invented rows)
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `wp_wc_comments_subscription`;
CREATE TABLE `wp_wc_comments_subscription` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `email` varchar(100) NOT NULL,
  `subscribtion_id` int(11) NOT NULL,
  `post_id` int(11) NOT NULL,
  `subscribtion_type` varchar(20) NOT NULL,
  `activation_key` varchar(100) NOT NULL,
  `confirm` tinyint(4) DEFAULT '0',
  `subscription_date` TEXT NOT NULL,
  `imported_from` varchar(25) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `subscribtion_id` (`subscribtion_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
LOCK TABLES `wp_wc_comments_subscription` WRITE;
INSERT INTO `wp_wc_comments_subscription` VALUES (1,'ines.p@example.net',101,101,'post','k1;\'x\'',1,'2026-03-14 10:02:11',''),(2,'tomas.r@example.com',501,101,'comment','k2 -- not a comment',1,'2026-03-14 11:20:00',NULL),(3,'someone@example.org',101,101,'post','k3',0,'2026-03-14 12:00:00','');
UNLOCK TABLES;
INSERT INTO `wp_options` VALUES (1,'siteurl','https://courier.example.org','yes');
